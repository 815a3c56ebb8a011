"""alignproof: check arguments about AI-alignment concepts with the Z3 solver."""

__version__ = "0.1.0"
