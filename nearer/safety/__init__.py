from nearer.safety.screening import ScreenResult, screen

__all__ = ["ScreenResult", "screen"]
