//! The states rows go through, as enums stored as their word (TEXT, as the migrations made
//! them): a follow's direction and state, a delivery's state. The column types in the row
//! structs are these enums, so a query cannot compare a delivery with a follow's word, and a
//! word perch never writes is an error on reading, not a silent fourth state.
//!
//! A comment's moderation is `domain::visibility::Moderation`, part of the visibility rule.

use diesel::{
    backend::Backend,
    deserialize::{self, FromSql},
    serialize::{self, Output, ToSql},
    sql_types::Text,
};

macro_rules! stored_as_text {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every state, in the order written.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stored word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }

            /// The state a stored word names.
            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $($word => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $name
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $name
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let word = String::from_sql(bytes)?;
                $name::parse(&word)
                    .ok_or_else(|| format!("{word:?} is not a {}", stringify!($name)).into())
            }
        }
    };
}

stored_as_text! {
    /// Which way a follow goes.
    Direction {
        /// They follow the author.
        Incoming = "in",
        /// The author follows them.
        Outgoing = "out",
    }
}

stored_as_text! {
    /// Where a follow stands.
    FollowState {
        /// Sent (or received) and not yet answered.
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

stored_as_text! {
    /// Where a delivery stands in the queue.
    DeliveryState {
        /// Waiting for its next attempt (the first, or a retry).
        Pending = "pending",
        Delivered = "delivered",
        /// Given up on: out of attempts, or refused for good.
        Dead = "dead",
        /// Held back, not tried, while the inbox's server is marked unreachable (see
        /// [`DbHost`](super::DbHost)).
        Parked = "parked",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_its_own_word() {
        for d in [Direction::Incoming, Direction::Outgoing] {
            assert_eq!(Direction::parse(d.as_str()), Some(d));
        }
        for s in [
            FollowState::Pending,
            FollowState::Accepted,
            FollowState::Rejected,
        ] {
            assert_eq!(FollowState::parse(s.as_str()), Some(s));
        }
        for s in [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Dead,
            DeliveryState::Parked,
        ] {
            assert_eq!(DeliveryState::parse(&s.to_string()), Some(s));
        }
        assert_eq!(FollowState::parse("visible"), None);
    }
}
