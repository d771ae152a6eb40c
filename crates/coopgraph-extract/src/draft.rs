//! Writing candidates out: JSON Lines for programs, and a draft in the
//! data format of data/README.md for a curator.
