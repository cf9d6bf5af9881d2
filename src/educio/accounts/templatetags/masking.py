from django import template

from educio.accounts.masking import mask_email, mask_phone

register = template.Library()
register.filter("mask_phone", mask_phone)
register.filter("mask_email", mask_email)
