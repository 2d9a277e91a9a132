"""Qt windows (counter officer, kiosk, waiting-area display): thin, calling counter_app services (issue 7)."""
