//! The driver loops, written once. Each driver expands [`modem_methods!`] and
//! [`socket_methods!`] inside its own `impl` block: the blocking driver
//! without `async`/`.await`, the async driver with them. The loops call four
//! primitives of the driver's I/O half, `now`, `write`, `fill` (read what
//! arrives before a deadline into the session) and `sleep_until`; everything
//! else is the sans-IO core's decision.

/// The modem's I/O methods: `execute`, `execute_with`, `send`, `raw`, `run`,
/// `poll_urcs`, `wait_urc`. `$E` is the port's error type.
macro_rules! modem_methods {
    ($E:ty; $($async:ident)?; $($await:ident)?) => {
        /// Validates, writes and waits for the answer (and the result URC of a
        /// two-phase command); the typed response is parsed from the session's
        /// response block.
        pub $($async)? fn execute<R: $crate::request::AtRequest<Family = F>>(
            &mut self,
            req: &R,
        ) -> Result<$crate::driver::Reply<'_, R>, $crate::driver::ModemError<$E>> {
            self.execute_with(req, $crate::session::Opts::default()) $(.$await)?
        }

        /// Runs a request with a data phase: waits for `>`, writes `data` (and
        /// Ctrl+Z when the phase ends so), waits for the answer.
        pub $($async)? fn send<R: $crate::request::AtRequest<Family = F>>(
            &mut self,
            req: &R,
            data: &[u8],
        ) -> Result<$crate::driver::Reply<'_, R>, $crate::driver::ModemError<$E>> {
            let opts = $crate::session::Opts {
                data: Some(data),
                ..$crate::session::Opts::default()
            };
            self.execute_with(req, opts) $(.$await)?
        }

        /// The general form of `execute` and `send`: data, a timeout replacing
        /// the manual's maximum response time, a cap on it, ESC at the prompt.
        pub $($async)? fn execute_with<R: $crate::request::AtRequest<Family = F>>(
            &mut self,
            req: &R,
            opts: $crate::session::Opts<'_>,
        ) -> Result<$crate::driver::Reply<'_, R>, $crate::driver::ModemError<$E>> {
            let command = $crate::driver::CommandName::new(R::COMMAND, R::SUB);
            let completion = self.run(req, opts, &command, &mut |_, _| false) $(.$await)??;
            self.reply::<R, $E>(command, completion)
        }

        /// Sends any AT command line (`AT+QIACT=1`) and waits up to `timeout`
        /// for its final result code, with the same injection checks, URC
        /// separation and final-result parsing as typed requests.
        pub $($async)? fn raw(
            &mut self,
            line: &str,
            timeout: core::time::Duration,
        ) -> Result<$crate::driver::RawReply<'_>, $crate::driver::ModemError<$E>> {
            let raw = $crate::session::Raw::new(line, timeout);
            let command = $crate::driver::CommandName::new(raw.name(), None);
            let opts = $crate::session::Opts::default();
            let completion = self.run(&raw, opts, &command, &mut |_, _| false) $(.$await)??;
            Ok($crate::driver::RawReply {
                block: self.session.response(),
                completion,
            })
        }

        /// Runs any [`Command`](crate::session::Command) (typed, built from
        /// descriptors, or raw), handing each unsolicited frame to `route`
        /// first; the response is then `session().response()`.
        pub $($async)? fn run(
            &mut self,
            cmd: &dyn $crate::session::Command,
            opts: $crate::session::Opts<'_>,
            command: &$crate::driver::CommandName,
            route: $crate::driver::Route<'_>,
        ) -> Result<$crate::session::Completion, $crate::driver::ModemError<$E>> {
            use $crate::session::Step;
            let mut ex = match self.session.start(cmd, opts) {
                Ok(ex) => ex,
                Err(f) => return Err(self.error(command.clone(), f)),
            };
            let outcome = loop {
                let now = self.io.now();
                match self.session.poll(&mut ex, now) {
                    Step::Write(bytes) => {
                        if let Err(e) = self.io.write(bytes) $(.$await)? {
                            ex.abandon(&mut self.session);
                            let e = $crate::driver::PortError::Io(e);
                            return Err(self.port_error(command, "writing to", e));
                        }
                    }
                    Step::Wait(deadline) => {
                        if let Err(e) = self.io.fill(&mut self.session, deadline) $(.$await)? {
                            ex.abandon(&mut self.session);
                            return Err(self.port_error(command, "reading from", e));
                        }
                    }
                    Step::Sleep(until) => self.io.sleep_until(until) $(.$await)?,
                    Step::Urc(u) => self.urcs.take::<F>(u.frame, u.hex, route),
                    Step::Done(outcome) => break outcome,
                }
            };
            match outcome {
                Ok(reply) => Ok(reply.completion),
                Err(f) => Err(self.error(command.clone(), f)),
            }
        }

        /// Reads from the module while no command runs, until at least one
        /// URC is queued or `timeout` passes; returns how many were queued.
        pub $($async)? fn poll_urcs(
            &mut self,
            timeout: core::time::Duration,
        ) -> Result<usize, $crate::driver::ModemError<$E>> {
            let deadline = self.io.now().saturating_add(timeout);
            self.poll_until(deadline, &mut |_, _| false) $(.$await)?
        }

        /// Removes and returns the first URC (queued or arriving within
        /// `timeout`) for which `matches` holds; the others stay queued in order.
        pub $($async)? fn wait_urc(
            &mut self,
            timeout: core::time::Duration,
            mut matches: impl FnMut(&$crate::session::QueuedUrc<L>) -> bool,
        ) -> Result<Option<$crate::session::QueuedUrc<L>>, $crate::driver::ModemError<$E>> {
            let deadline = self.io.now().saturating_add(timeout);
            loop {
                if let Some(u) = self.urcs.queue.take_first(&mut matches) {
                    return Ok(Some(u));
                }
                if self.io.now() >= deadline {
                    return Ok(None);
                }
                self.poll_until(deadline, &mut |_, _| false) $(.$await)??;
            }
        }

        /// Runs one operation of the active connection of `conns` to its end:
        /// the requests it asks for (every unsolicited frame routed to `conns`
        /// first), polls and sleeps. The operation's result and the error of
        /// the request that failed last; `Err`: polling for URCs failed.
        pub(crate) $($async)? fn drive_op<'a, Q: $crate::dialog::machine::ByteQueue>(
            &mut self,
            conns: &mut dyn $crate::dialog::mux::Conns<Q>,
            o: &$crate::dialog::Options<'a>,
            op: $crate::dialog::Op<'a>,
        ) -> Result<
            (Result<usize, $crate::dialog::SockError>, Option<$crate::driver::ModemError<$E>>),
            $crate::driver::ModemError<$E>,
        > {
            use $crate::dialog::Action;
            use $crate::driver::socket::{ran_of, route};
            let mut op = op;
            let mut last = None;
            let mut next: Option<Action<'_>> = None;
            conns.active().secret_upload(&op, &mut self.session);
            let result = loop {
                let action = match next.take() {
                    Some(a) => a,
                    None => {
                        let now = self.io.now();
                        conns.active().step(&mut op, o, &self.session, now)
                    }
                };
                match action {
                    Action::Done(r) => break r,
                    Action::Run { cmd, data, cap } => {
                        use $crate::session::Command as _;
                        let name = $crate::driver::CommandName::new(cmd.command(), cmd.sub());
                        let opts = $crate::session::Opts {
                            data,
                            cap,
                            ..$crate::session::Opts::default()
                        };
                        let res = {
                            let mut r = |f: &[u8], hex: bool| route(conns, o, f, hex);
                            self.run(&cmd, opts, &name, &mut r) $(.$await)?
                        };
                        if matches!(res, Err(ref e) if ran_of(e) == $crate::dialog::Ran::SendFail) {
                            $crate::trace::note::<F>("SEND FAIL; the connection decides on a retry", 1);
                        }
                        let now = self.io.now();
                        let hex = self.session.payload_hex();
                        let (response, mut ctx) = self.session.response_and_parts();
                        let ran = match &res {
                            Ok(_) => $crate::dialog::Ran::Ok { response, hex },
                            Err(e) => ran_of(e),
                        };
                        next = conns.active().ran(&mut op, o, ran, &mut ctx, now);
                        if let Err(e) = res {
                            last = Some(e);
                        }
                    }
                    Action::Poll(until) => {
                        let mut r = |f: &[u8], hex: bool| route(conns, o, f, hex);
                        self.poll_until(until, &mut r) $(.$await)??;
                    }
                    Action::Sleep(until) => self.io.sleep_until(until) $(.$await)?,
                }
            };
            Ok((result, last))
        }

        /// Frames what arrives before `deadline` (no command runs), handing
        /// each unsolicited frame to `route` first; returns once at least one
        /// frame came, or at the deadline. The count of frames handled.
        pub $($async)? fn poll_until(
            &mut self,
            deadline: core::time::Duration,
            route: $crate::driver::Route<'_>,
        ) -> Result<usize, $crate::driver::ModemError<$E>> {
            let mut got = 0;
            loop {
                while let Some(u) = self.session.poll_idle() {
                    got += 1;
                    self.urcs.take::<F>(u.frame, u.hex, route);
                }
                if got > 0 {
                    return Ok(got);
                }
                if self.session.is_transparent() {
                    // After CONNECT the port carries raw data: these drivers have no
                    // transparent-mode data path, so say so rather than spin.
                    let command = $crate::driver::CommandName::new("URC poll", None);
                    let failure = $crate::session::Failure::Mode {
                        expected: "command mode; the embedded-io drivers do not carry transparent-mode data",
                    };
                    return Err(self.error(command, failure));
                }
                match self.io.fill(&mut self.session, deadline) $(.$await)? {
                    Ok(true) => {}
                    Ok(false) => return Ok(got),
                    Err(e) => {
                        let command = $crate::driver::CommandName::new("URC poll", None);
                        return Err(self.port_error(&command, "reading from", e));
                    }
                }
            }
        }
    };
}

/// The SSL socket's I/O methods: `configure`, `upload`, `open`, `connect`,
/// `write`, `read`, `read_within`, `close`. `$E` is the port's error type.
macro_rules! socket_methods {
    ($E:ty; $($async:ident)?; $($await:ident)?) => {
        /// Sends the configuration the spec's set-up roles map the options onto
        /// (version, seclevel, cipher suite, negotiate time, PSK, certificate
        /// paths, data format).
        pub $($async)? fn configure(&mut self) -> Result<(), $crate::driver::SocketError<$E>> {
            self.drive($crate::dialog::Op::configure(), "configure") $(.$await)?.map(drop)
        }

        /// Uploads a certificate or key the family's way (0 CA certificate,
        /// 1 client certificate, 2 client key: registered as a secret first).
        pub $($async)? fn upload(&mut self, kind: u8, data: &[u8]) -> Result<(), $crate::driver::SocketError<$E>> {
            self.drive($crate::dialog::Op::upload(kind, data), "upload") $(.$await)?.map(drop)
        }

        /// Opens the connection; returns once the module reports it open.
        pub $($async)? fn open(&mut self, host: &str, port: u16) -> Result<(), $crate::driver::SocketError<$E>> {
            self.drive($crate::dialog::Op::open(host, port), "open") $(.$await)?.map(drop)
        }

        /// `check`, `configure`, then `open`.
        pub $($async)? fn connect(&mut self, host: &str, port: u16) -> Result<(), $crate::driver::SocketError<$E>> {
            self.check(host, port)?;
            self.configure() $(.$await)??;
            self.open(host, port) $(.$await)?
        }

        /// Sends all of `data`, split into the family's largest sends; a
        /// `SEND FAIL` is retried `send_retries` times with a doubling
        /// backoff. Returns `data.len()`.
        pub $($async)? fn write(&mut self, data: &[u8]) -> Result<usize, $crate::driver::SocketError<$E>> {
            self.drive($crate::dialog::Op::write(data), "write") $(.$await)?
        }

        /// Reads what has arrived into `buf`, waiting up to the read timeout.
        /// `Ok(0)`: the peer closed and every byte before the close was read.
        pub $($async)? fn read(&mut self, buf: &mut [u8]) -> Result<usize, $crate::driver::SocketError<$E>> {
            let timeout = self.read_timeout;
            match self.read_within(buf, timeout) $(.$await)?? {
                Some(n) => Ok(n),
                None => Err($crate::driver::SocketError::ReadTimeout {
                    family: self.dialect.family(),
                    waited: timeout.unwrap_or_default(),
                }),
            }
        }

        /// Like `read` with its own wait: `Ok(None)` when nothing arrived
        /// within `timeout` (`None`: wait until data or the peer's close).
        pub $($async)? fn read_within(
            &mut self,
            buf: &mut [u8],
            timeout: Option<core::time::Duration>,
        ) -> Result<Option<usize>, $crate::driver::SocketError<$E>> {
            if buf.is_empty() && self.conn.state() != $crate::dialog::SocketState::Idle {
                return Ok(Some(0));
            }
            let deadline = timeout.map(|t| self.modem.io.now().saturating_add(t));
            let op = $crate::dialog::Op::read(buf.len().max(1), deadline);
            match self.drive(op, "read") $(.$await)? {
                Ok(_) => Ok(Some(self.conn.take(buf))),
                Err($crate::driver::SocketError::ReadTimeout { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        }

        /// Closes the connection. After a peer close the module's own close
        /// errors are ignored. Received data not read yet stays readable.
        pub $($async)? fn close(&mut self) -> Result<(), $crate::driver::SocketError<$E>> {
            self.drive($crate::dialog::Op::close(), "close") $(.$await)?.map(drop)
        }

        /// Runs one operation of the connection to its end: the requests it
        /// asks for on the modem (its URCs routed to it), polls and sleeps.
        $($async)? fn drive(
            &mut self,
            op: $crate::dialog::Op<'_>,
            what: &'static str,
        ) -> Result<usize, $crate::driver::SocketError<$E>> {
            let o = self.options;
            let family = self.dialect.family();
            match self.modem.drive_op(&mut self.conn, &o, op) $(.$await)? {
                Ok((result, last)) => result.map_err(|e| self.error(e, last, what)),
                Err(error) => Err($crate::driver::SocketError::Command { family, op: what, error }),
            }
        }
    };
}

/// A driver's type aliases (`Modem`, `SslSocket`) over its I/O half `$Half`,
/// and the `impl` blocks that expand [`modem_methods!`] and
/// [`socket_methods!`] for it, blocking or async.
macro_rules! driver_impls {
    (
        half: $Half:ident<P: $($pbound:path),+; $T:ident: $tbound:path>,
        time: $time:ident,
        async: [$($async:ident)?],
        await: [$($await:ident)?] $(,)?
    ) => {
        #[doc = concat!("The modem over [`", stringify!($Half), "`]: see [`crate::driver::Modem`] for the sizes and the URC policy.")]
        pub type Modem<
            P,
            $T,
            F,
            const RX: usize = 4096,
            const BLK: usize = 2048,
            const TX: usize = 512,
            const URCS: usize = 8,
            const URC_LEN: usize = 256,
        > = $crate::driver::Modem<$Half<P, $T>, F, RX, BLK, TX, URCS, URC_LEN>;

        #[doc = concat!("The SSL socket over [`", stringify!($Half), "`]: see [`crate::driver::SslSocket`]; `N` bytes of receive queue.")]
        pub type SslSocket<
            'o,
            P,
            $T,
            D,
            const N: usize = 2048,
            const RX: usize = 4096,
            const BLK: usize = 2048,
            const TX: usize = 512,
            const URCS: usize = 8,
            const URC_LEN: usize = 256,
        > = $crate::driver::SslSocket<'o, $Half<P, $T>, D, N, RX, BLK, TX, URCS, URC_LEN>;

        impl<
                P: $($pbound +)+,
                $T: $tbound,
                F: $crate::family::Family,
                const RX: usize,
                const BLK: usize,
                const TX: usize,
                const N: usize,
                const L: usize,
            > $crate::driver::Modem<$Half<P, $T>, F, RX, BLK, TX, N, L>
        {
            #[doc = concat!("A modem on `port`, timed by `", stringify!($time), "`.")]
            pub fn new(port: P, $time: $T) -> Self {
                Self::with_io($Half::new(port, $time))
            }

            pub fn port(&self) -> &P {
                &self.io.port
            }

            pub fn port_mut(&mut self) -> &mut P {
                &mut self.io.port
            }

            pub fn $time(&self) -> &$T {
                &self.io.$time
            }

            $crate::driver::modem_methods!(<P as ErrorType>::Error; $($async)?; $($await)?);
        }

        #[doc = concat!("Several SSL connections over [`", stringify!($Half), "`]: see [`crate::driver::Connections`]; up to `M` connections of `N` bytes of receive queue.")]
        pub type Connections<'o, P, $T, D, const M: usize = 4, const N: usize = 2048> =
            $crate::driver::Connections<'o, $Half<P, $T>, D, M, N>;

        impl<
                'o,
                P: $($pbound +)+,
                $T: $tbound,
                D: $crate::dialog::Dialect,
                const M: usize,
                const N: usize,
            > $crate::driver::Connections<'o, $Half<P, $T>, D, M, N>
        {
            $crate::driver::connections_methods!(<P as ErrorType>::Error; $($async)?; $($await)?);
        }

        impl<
                'o,
                P: $($pbound +)+,
                $T: $tbound,
                D: $crate::dialog::Dialect,
                const N: usize,
                const RX: usize,
                const BLK: usize,
                const TX: usize,
                const URCS: usize,
                const URC_LEN: usize,
            > $crate::driver::SslSocket<'o, $Half<P, $T>, D, N, RX, BLK, TX, URCS, URC_LEN>
        {
            $crate::driver::socket_methods!(<P as ErrorType>::Error; $($async)?; $($await)?);
        }
    };
}

pub(crate) use {driver_impls, modem_methods, socket_methods};
