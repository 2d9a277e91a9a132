"""What every window shares: service calls off the GUI thread, queue events on it, error sentences."""
