"""Writes of the municipalities app: the register, participations and mandates."""

from municipalities.services.register import municipality_register_load

__all__ = ["municipality_register_load"]
