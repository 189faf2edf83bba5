//! The `Serialize` side of generated structs: `serialize_struct!`, and the
//! field sinks its expansion writes to.

/// Where a struct's fields are written: a struct (`serialize_struct`), or a
/// map when the struct keeps undeclared properties beside its fields.
///
/// The first error is kept and later fields are dropped, so the generated
/// code has no `?` per field: type-checking a `?` on a serializer's error
/// type is most of what a derived `Serialize` costs to compile.
#[doc(hidden)]
pub trait FieldSink {
    fn field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T);
    fn skip(&mut self, key: &'static str);
}

#[doc(hidden)]
pub struct StructFields<S: serde::Serializer> {
    state: Result<S::SerializeStruct, S::Error>,
}

impl<S: serde::Serializer> StructFields<S> {
    /// `len` counts the fields that will be written, as serde's derive does.
    #[inline]
    pub fn start(serializer: S, name: &'static str, len: usize) -> Self {
        StructFields { state: serializer.serialize_struct(name, len) }
    }

    #[inline]
    pub fn end(self) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeStruct::end(self.state?)
    }
}

impl<S: serde::Serializer> FieldSink for StructFields<S> {
    #[inline]
    fn field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        keep_first(&mut self.state, |state| {
            serde::ser::SerializeStruct::serialize_field(state, key, value)
        });
    }

    #[inline]
    fn skip(&mut self, key: &'static str) {
        keep_first(&mut self.state, |state| serde::ser::SerializeStruct::skip_field(state, key));
    }
}

/// A struct with an extra map: its fields, then the map's entries, as one
/// JSON object (what `#[serde(flatten)]` writes).
#[doc(hidden)]
pub struct MapFields<S: serde::Serializer> {
    state: Result<S::SerializeMap, S::Error>,
}

impl<S: serde::Serializer> MapFields<S> {
    #[inline]
    pub fn start(serializer: S) -> Self {
        MapFields { state: serializer.serialize_map(None) }
    }

    #[inline]
    pub fn extra<'m, K, V>(&mut self, extra: impl IntoIterator<Item = (&'m K, &'m V)>)
    where
        K: serde::Serialize + 'm,
        V: serde::Serialize + 'm,
    {
        for (key, value) in extra {
            keep_first(&mut self.state, |state| {
                serde::ser::SerializeMap::serialize_entry(state, key, value)
            });
        }
    }

    #[inline]
    pub fn end(self) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeMap::end(self.state?)
    }
}

impl<S: serde::Serializer> FieldSink for MapFields<S> {
    #[inline]
    fn field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        keep_first(&mut self.state, |state| {
            serde::ser::SerializeMap::serialize_entry(state, key, value)
        });
    }

    #[inline]
    fn skip(&mut self, _: &'static str) {}
}

/// A generated struct's `Serialize` impl, from the same list of fields as
/// its `Deserialize` (see `deserialize_struct!`): each field written under
/// its wire name, or left out as its kind says (an absent optional field).
/// It writes what `#[derive(Serialize)]` with `rename` and
/// `skip_serializing_if = "Option::is_none"` writes, at about half the
/// compile time and without a proc macro reading every struct.
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! serialize_struct {
    ($name:ident $(, $kind:ident($field:ident: $ty:ty, $wire:literal))* $(,)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                let len = 0 $( + crate::runtime::field::$kind::count(&self.$field) )*;
                let mut fields = crate::runtime::StructFields::start(serializer, stringify!($name), len);
                $( crate::runtime::field::$kind::put(&mut fields, $wire, &self.$field); )*
                fields.end()
            }
        }
    };
    ($name:ident $(, $kind:ident($field:ident: $ty:ty, $wire:literal))*, ..$extra:ident $(,)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                let mut fields = crate::runtime::MapFields::start(serializer);
                $( crate::runtime::field::$kind::put(&mut fields, $wire, &self.$field); )*
                fields.extra(&self.$extra);
                fields.end()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use serialize_struct;

/// Both impls of a generated struct from one list of fields:
/// `serialize_struct!` and `deserialize_struct!`.
#[allow(unused_macros)]
macro_rules! serde_struct {
    ($($tokens:tt)*) => {
        crate::runtime::serialize_struct!($($tokens)*);
        crate::runtime::deserialize_struct!($($tokens)*);
    };
}
#[allow(unused_imports)]
pub(crate) use serde_struct;

/// Runs one write while no earlier one has failed, and keeps its error if it
/// fails: the sinks report the first error at `end`, so no field needs a `?`.
#[inline]
fn keep_first<T, E>(state: &mut Result<T, E>, write: impl FnOnce(&mut T) -> Result<(), E>) {
    if let Ok(inner) = state {
        if let Err(e) = write(inner) {
            *state = Err(e);
        }
    }
}
