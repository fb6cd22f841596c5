//! The HTTP routes, each documented where it is written; the OpenAPI document is collected
//! from these annotations as the router is built.

pub mod assets;
pub mod courses;
pub mod generation;
pub mod health;
pub mod jobs;
pub mod sync;
pub mod worker;
