// Intentionally empty: see module.modulemap. Only CFormVisionFontShim includes FreeType's headers.
