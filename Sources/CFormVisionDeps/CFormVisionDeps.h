// Intentionally empty: see module.modulemap. The shim includes the libraries' own headers.
