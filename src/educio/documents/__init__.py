"""Excel and Word documents: safe xlsx export and validated xlsx import; official forms later."""
