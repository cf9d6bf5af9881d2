"""EduCIO: the school CIO system and informatization governance platform."""
