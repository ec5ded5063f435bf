"""The interface: Dutch first, English as translation; htmx for partial updates."""
