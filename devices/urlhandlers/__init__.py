"""pyserial URL handlers of the product (``sim://``); see devices.transport."""
