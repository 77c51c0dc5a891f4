//! Running generic code against the generated module of a family chosen at run time.

/// `with_family!(id, m => expr)`: evaluates `expr` with `m` naming the family's
/// generated module; an unknown id is a usage error listing the known ones.
macro_rules! with_family {
    ($id:expr, $m:ident => $body:expr) => {
        match $id {
            #[cfg(feature = "quectel-ec200x")]
            "quectel-ec200x" => {
                use atgen::quectel_ec200x as $m;
                $body
            }
            #[cfg(feature = "quectel-ec2x")]
            "quectel-ec2x" => {
                use atgen::quectel_ec2x as $m;
                $body
            }
            #[cfg(feature = "quectel-bc26")]
            "quectel-bc26" => {
                use atgen::quectel_bc26 as $m;
                $body
            }
            #[cfg(feature = "quectel-ugxx")]
            "quectel-ugxx" => {
                use atgen::quectel_ugxx as $m;
                $body
            }
            #[cfg(feature = "cmiot-ml302")]
            "cmiot-ml302" => {
                use atgen::cmiot_ml302 as $m;
                $body
            }
            other => Err($crate::cli::dispatch::unknown(other)),
        }
    };
}

pub(crate) use with_family;

/// The family ids this binary was built with.
pub const KNOWN: &[&str] = &[
    #[cfg(feature = "cmiot-ml302")]
    "cmiot-ml302",
    #[cfg(feature = "quectel-bc26")]
    "quectel-bc26",
    #[cfg(feature = "quectel-ec200x")]
    "quectel-ec200x",
    #[cfg(feature = "quectel-ec2x")]
    "quectel-ec2x",
    #[cfg(feature = "quectel-ugxx")]
    "quectel-ugxx",
];

pub fn unknown(id: &str) -> super::Failure {
    super::Failure::usage(format!(
        "unknown family `{id}`; known families: {}",
        KNOWN.join(", ")
    ))
}
