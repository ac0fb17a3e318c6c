"""The parts counter tab (物料发放)."""
