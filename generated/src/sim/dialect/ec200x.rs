//! EC200x / EC600x / EG912Y (`quectel-ec200x`): the Quectel LTE dialect.

quectel_lte_dialect! {
    /// The EC200x dialect: six SSL contexts, sockets in the machine.
    Ec200x, quectel_ec200x {
        pdp_range: "1-15",
        ignore_ltime: Ignore,
        ctx: {},
    }
}

impl Ec200x {
    /// Every command is common to the Quectel LTE dialect.
    fn own(&mut self, _m: &mut Machine, _req: Request<'_>) -> bool {
        false
    }
}
