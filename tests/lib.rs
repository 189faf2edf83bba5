//! The integration tests live in `it/`. This crate's doctests are the
//! README's examples, so the README cannot drift from the generated code.
#![doc = include_str!("../README.md")]

/// What a spec deprecates warns in the code that uses it: this does not
/// compile when deprecation warnings are errors,
///
/// ```compile_fail
/// #![deny(deprecated)]
/// async fn remove(client: &fixtures::zoo::Client) {
///     let _ = client.delete_pet("7").await;
/// }
/// ```
///
/// and the same code compiles once the warning is allowed (so the failure
/// above is the deprecation, not another error). Properties, parameters
/// and schemas the spec deprecates warn the same way:
///
/// ```
/// #![deny(deprecated)]
/// #[allow(deprecated)]
/// async fn remove(client: &fixtures::zoo::Client) {
///     let _ = client.delete_pet("7").await;
///     let _ = client.get_pet("7").legacy(true).await;
///     let pet = fixtures::zoo::types::Pet::new("Rex".into());
///     let _: Option<&String> = pet.nickname.as_ref();
///     let _: Option<fixtures::zoo::types::Note> = None;
/// }
/// ```
///
/// ```compile_fail
/// #![deny(deprecated)]
/// fn nickname(pet: &fixtures::zoo::types::Pet) -> Option<&String> {
///     pet.nickname.as_ref()
/// }
/// ```
///
/// ```compile_fail
/// #![deny(deprecated)]
/// async fn legacy(client: &fixtures::zoo::Client) {
///     let _ = client.get_pet("7").legacy(true).await;
/// }
/// ```
///
/// ```compile_fail
/// #![deny(deprecated)]
/// fn note() -> Option<fixtures::zoo::types::Note> {
///     None
/// }
/// ```
pub mod deprecations {}
