//! Linked-data server (skeleton).
