"""The waiting-area display: the TV window that shows calls and the player that announces them."""
