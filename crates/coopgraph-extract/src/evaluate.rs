//! Measuring extraction against the curated data.
