"""Built-in mechanism plugins; each registers through the `civic` entry-point group."""
