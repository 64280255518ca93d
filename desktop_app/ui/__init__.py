"""The Qt layer. Widgets call services; they never write SQL."""
