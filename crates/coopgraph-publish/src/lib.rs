//! Publishing to external triplestores (skeleton).
