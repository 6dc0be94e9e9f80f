"""An image pipeline whose plugins are filters."""
