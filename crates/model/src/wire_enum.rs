/// Declares an enum whose variants travel on the wire as fixed strings.
///
/// Requests keep such fields as plain `String`s so that a wrong value reaches validation (and gets
/// a message naming the field and the allowed values) instead of failing deserialisation. This
/// macro gives each enum the list of wire values, a human label for forms, and parsing.
///
/// ```ignore
/// wire_enum! {
///     /// Which statistics an export holds.
///     pub enum StatType {
///         Flux = "flux" => "Traffic",
///         ReqNum = "req_num" => "Requests",
///     }
/// }
/// assert_eq!(StatType::parse("flux"), Some(StatType::Flux));
/// ```
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order the provider documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as it travels on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// A short human label for forms and tables.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The variant for a wire value; exact, case-sensitive match as the clouds do.
            pub fn parse(wire: &str) -> Option<Self> {
                match wire { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// Every wire value, in the same order, for a rule's message.
            pub const WIRE: &'static [&'static str] = &[$($wire),+];
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;
