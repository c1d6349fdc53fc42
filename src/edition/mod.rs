//! Newsletter editions as e-mail: [`email`] makes the inlined HTML, [`text`] the plain text
//! alternative and [`mime`] the message that carries both.
//!
//! What an edition is made of (its number, its articles) is part of the resolved site, in
//! [`crate::site::editions`]; this module only turns a rendered edition into mail.

pub mod email;
pub mod mime;
pub mod text;
