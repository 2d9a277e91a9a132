"""Domain values to bytes: the official forms as PDF, kiosk tickets as ESC/POS (issue 6)."""
