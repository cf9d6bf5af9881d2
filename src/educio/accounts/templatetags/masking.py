from django import template

from educio.accounts.masking import mask_phone

register = template.Library()
register.filter("mask_phone", mask_phone)
