import Foundation
import CPty
import NIOCore
import NIOPosix
import NIOSSH
import Workflow

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One SSH session channel: collects the client's terminal and environment, then runs the console (pty + shell) or one
/// command (exec) in a child process, relays bytes both ways, passes window changes on, and ends with the child's exit
/// status. Everything else a session may ask for is refused.
final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let connection: ConnectionState
    private var server: ServerContext { connection.context }
    private var context: ChannelHandlerContext?

    private struct Pty { var term: String; var columns: Int; var rows: Int }
    private var pty: Pty?
    private var clientEnvironment: [String: String] = [:]

    private enum Phase { case waiting, starting, running, finished }
    private var phase = Phase.waiting
    private var pendingInput: [ByteBuffer] = []
    private var clientSentEOF = false

    // The running program.
    private var child: ChildProcess?
    private var masterFD: CInt = -1
    /// The child's stdin (the pty master, or the stdin/stdout pipe channel).
    private var inputChannel: Channel?
    private var outputChannels: [Channel] = []
    private var openOutputs = 0
    private var exit: ChildProcess.Exit?
    private var exitSent = false

    // What was taken, to give back once.
    private var signedIn: SignedIn?
    private var token: String?
    private var holdsPlace = false
    private var startedAt = Date()
    private var what = ""
    private var cleanedUp = false

    init(connection: ConnectionState) { self.connection = connection }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        connection.sessions[ObjectIdentifier(self)] = self
        // The client's end of input (ssh's stdin at its end) must not close the channel before the command's output.
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connection.sessions[ObjectIdentifier(self)] = nil
        self.context = nil
    }

    // MARK: Requests

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            guard phase == .waiting else { return reply(request.wantReply, false) }
            pty = Pty(term: request.term, columns: Self.clampSize(request.terminalCharacterWidth, 80),
                      rows: Self.clampSize(request.terminalRowHeight, 24))
            reply(request.wantReply, true)

        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            let ok = phase == .waiting && ChildEnvironment.accepts(request.name, value: request.value)
            if ok { clientEnvironment[request.name] = request.value }
            reply(request.wantReply, ok)

        case let request as SSHChannelRequestEvent.ShellRequest:
            guard phase == .waiting else { return reply(request.wantReply, false) }
            guard let pty else {
                reply(request.wantReply, true)
                return finish(message: "the console needs a terminal: connect with ssh -t (or run one command: ssh … cases --json)", status: 2)
            }
            start(.console(pty), wantReply: request.wantReply)

        case let request as SSHChannelRequestEvent.ExecRequest:
            guard phase == .waiting else { return reply(request.wantReply, false) }
            let login = connection.signedIn?.login ?? "?"
            switch ExecCommandLine.arguments(request.command, login: login) {
            case .failure(let refusal):
                reply(request.wantReply, true)
                let shown = String(request.command.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200))
                let server = self.server, address = connection.address, via = connectionVia
                server.work.async {
                    server.audit(.refused, login: login, via: via, address: address, detail: "exec '\(shown)': \(refusal.message)")
                }
                finish(message: refusal.message, status: refusal.status)
            case .success(let args):
                start(.exec(args), wantReply: request.wantReply)
            }

        case let request as SSHChannelRequestEvent.SubsystemRequest:
            guard phase == .waiting else { return reply(request.wantReply, false) }
            // Accepted only to be ended with a word: a refused request ends the client before it shows any.
            reply(request.wantReply, true)
            finish(message: "no subsystems here (\(Self.printable(request.subsystem))): this server runs the CityGrid console and citygrid commands only",
                   status: 2)

        case let request as SSHChannelRequestEvent.WindowChangeRequest:
            guard var size = pty else { return }
            size.columns = Self.clampSize(request.terminalCharacterWidth, size.columns)
            size.rows = Self.clampSize(request.terminalRowHeight, size.rows)
            pty = size
            if masterFD >= 0 { _ = cg_pty_resize(masterFD, UInt16(size.columns), UInt16(size.rows)) }

        case let event as ChannelEvent where event == .inputClosed:
            clientSentEOF = true
            if case .pipes = child?.descriptors, let inputChannel { inputChannel.close(mode: .output, promise: nil) }

        case is SSHChannelRequestEvent.SignalRequest, is SSHChannelRequestEvent.LocalFlowControlRequest:
            break   // no reply is wanted; nothing is done

        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private var connectionVia: String? { connection.signedIn?.via.text }

    private func reply(_ wanted: Bool, _ ok: Bool) {
        guard wanted, let context else { return }
        if ok { context.channel.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        else { context.channel.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil) }
    }

    static func clampSize(_ value: Int, _ fallback: Int) -> Int {
        value <= 0 ? fallback : min(value, 1000)
    }

    static func printable(_ text: String) -> String {
        String(String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }).prefix(40))
    }

    // MARK: Data

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data else { return }
        switch phase {
        case .starting: pendingInput.append(bytes)
        case .running: inputChannel?.writeAndFlush(bytes, promise: nil)
        case .waiting, .finished: break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The client reads slowly: stop reading the program until it catches up.
        let writable = context.channel.isWritable
        for channel in outputChannels { channel.setOption(ChannelOptions.autoRead, value: writable).whenFailure { _ in } }
        context.fireChannelWritabilityChanged()
    }

    /// Bytes the program wrote.
    fileprivate func fromChild(_ bytes: ByteBuffer, stderr: Bool) {
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(SSHChannelData(type: stderr ? .stdErr : .channel, data: .byteBuffer(bytes))), promise: nil)
    }

    fileprivate func childInputWritabilityChanged(_ writable: Bool) {
        context?.channel.setOption(ChannelOptions.autoRead, value: writable).whenFailure { _ in }
    }

    fileprivate func outputClosed() {
        openOutputs -= 1
        if openOutputs <= 0 { masterFD = -1 }
        finishIfDone()
    }

    /// Writes a line to the client's terminal (stderr), as the server.
    func say(_ text: String) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count + 16)
        buffer.writeString("\r\ncitygrid: \(text)\r\n")
        context.writeAndFlush(wrapOutboundOut(SSHChannelData(type: .stdErr, data: .byteBuffer(buffer))), promise: nil)
    }

    // MARK: Running

    private enum Program {
        case console(Pty)
        case exec([String])
    }

    private struct Started: Sendable {
        var child: ChildProcess?
        var token: String?
        var refusal: String?
        var status: Int32 = 1
    }

    private func start(_ program: Program, wantReply: Bool) {
        guard let context, let who = connection.signedIn else {
            reply(wantReply, false)
            return
        }
        phase = .starting
        signedIn = who
        startedAt = server.configuration.clock()
        let server = self.server, address = connection.address
        let arguments: [String], environment: [String: String], size: (Int, Int)?
        switch program {
        case .console(let pty):
            let term = ChildEnvironment.term(fromClient: clientEnvironment["TERM"] ?? pty.term)
            arguments = ["console", "--db", server.configuration.database, "--lang", ChildEnvironment.consoleLanguage(clientEnvironment)]
            environment = ChildEnvironment.make(server: server.configuration.environment, database: server.configuration.database,
                                                token: "", term: term)
            size = (pty.columns, pty.rows)
            what = "console \(pty.columns)x\(pty.rows)"
        case .exec(let args):
            arguments = args
            environment = ChildEnvironment.make(server: server.configuration.environment, database: server.configuration.database,
                                                token: "", term: nil)
            size = nil
            what = "exec " + String(args.joined(separator: " ").unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200))
        }
        let what = self.what
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        server.work.async {
            var result = Started()
            if let refusal = server.sessions.acquire(who.operatorID, login: who.login) {
                server.audit(.refused, login: who.login, via: who.via.text, address: address, detail: "\(what): \(refusal)")
                result.refusal = refusal
                result.status = 3
            } else {
                do {
                    let token = try server.store.startSession(for: who, at: server.configuration.clock())
                    result.token = token
                    var env = environment
                    env["CITYGRID_SESSION"] = token
                    if let size {
                        result.child = try ChildProcess.spawnOnPty(program: server.configuration.program, arguments: arguments,
                                                                   environment: env, columns: size.0, rows: size.1)
                    } else {
                        result.child = try ChildProcess.spawnOnPipes(program: server.configuration.program, arguments: arguments,
                                                                     environment: env)
                    }
                    server.audit(.sessionStart, login: who.login, via: who.via.text, address: address, detail: what)
                } catch {
                    result.refusal = "the session could not start: \(error)"
                    if let token = result.token { try? server.store.endSession(token: token) }
                    result.token = nil
                    server.sessions.release(who.operatorID)
                }
            }
            let done = result
            loop.execute { bound.value.started(done, wantReply: wantReply) }
        }
    }

    private func started(_ result: Started, wantReply: Bool) {
        token = result.token
        holdsPlace = result.child != nil
        guard let child = result.child else {
            reply(wantReply, true)
            return finish(message: result.refusal ?? "the session could not start", status: result.status)
        }
        self.child = child
        guard let context, phase == .starting else {
            // The client went away while the program started.
            child.signalGroup(SIGHUP)
            closeDescriptors(child)
            watch(child)
            cleanUp()
            return
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        func relay(_ stderr: Bool) -> NIOPipeBootstrap {
            NIOPipeBootstrap(group: loop).channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ChildOutputRelay(session: bound.value, stderr: stderr))
                }
            }
        }
        var futures: [EventLoopFuture<Channel>] = []
        switch child.descriptors {
        case .pty(let master):
            masterFD = master
            futures.append(relay(false).takingOwnershipOfDescriptor(inputOutput: master))
        case .pipes(let stdin, let stdout, let stderr):
            futures.append(relay(false).takingOwnershipOfDescriptors(input: stdout, output: stdin))
            futures.append(relay(true).takingOwnershipOfDescriptor(input: stderr))
        }
        openOutputs = futures.count
        phase = .running
        reply(wantReply, true)
        watch(child)
        for (index, future) in futures.enumerated() {
            future.assumeIsolated().whenComplete { result in
                let session = bound.value
                switch result {
                case .success(let channel):
                    session.outputChannels.append(channel)
                    if index == 0 {
                        session.inputChannel = channel
                        for bytes in session.pendingInput { channel.write(bytes, promise: nil) }
                        channel.flush()
                        session.pendingInput = []
                        if session.clientSentEOF, case .pipes = child.descriptors { channel.close(mode: .output, promise: nil) }
                    }
                    if session.phase == .finished { channel.close(promise: nil) }
                case .failure:
                    // The descriptor is still ours: close it, and stop the program that can no longer be heard.
                    switch child.descriptors {
                    case .pty(let master): close(master); session.masterFD = -1
                    case .pipes(let stdin, let stdout, let stderr):
                        if index == 0 { close(stdin); close(stdout) } else { close(stderr) }
                    }
                    child.signalGroup(SIGHUP)
                    session.outputClosed()
                }
            }
        }
    }

    private func closeDescriptors(_ child: ChildProcess) {
        switch child.descriptors {
        case .pty(let master): close(master)
        case .pipes(let a, let b, let c): close(a); close(b); close(c)
        }
    }

    private func watch(_ child: ChildProcess) {
        guard let loop = context?.eventLoop ?? connectionLoop else { return }
        let bound = NIOLoopBound(self, eventLoop: loop)
        child.onExit { exit in
            loop.execute { bound.value.childExited(exit) }
        }
    }

    private var connectionLoop: EventLoop?

    private func childExited(_ exit: ChildProcess.Exit) {
        self.exit = exit
        finishIfDone()
        // Output still held open by something the program left behind: give it a moment, then end anyway.
        if openOutputs > 0, let loop = context?.eventLoop {
            let bound = NIOLoopBound(self, eventLoop: loop)
            loop.scheduleTask(in: .seconds(2)) {
                let session = bound.value
                for channel in session.outputChannels { channel.close(promise: nil) }
                session.openOutputs = 0
                session.finishIfDone()
            }
        }
    }

    /// The program has exited and its output is all sent: tell the client how it ended and close.
    private func finishIfDone() {
        guard let exit, openOutputs <= 0, !exitSent else { return }
        exitSent = true
        phase = .finished
        if let context {
            switch exit {
            case .status(let code):
                context.channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: Int(code)), promise: nil)
            case .signal(let number):
                context.channel.triggerUserOutboundEvent(
                    SSHChannelRequestEvent.ExitSignal(signalName: Self.signalName(number), errorMessage: "", language: "", dumpedCore: false),
                    promise: nil)
            }
            context.close(promise: nil)
        }
        cleanUp()
    }

    /// Ends the session before any program ran: a message on stderr, an exit status, the channel closed.
    private func finish(message: String, status: Int32) {
        phase = .finished
        say(message)
        if let context {
            context.channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: Int(status)), promise: nil)
            context.close(promise: nil)
        }
        exitSent = true
        cleanUp()
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGHUP: "HUP"
        case SIGINT: "INT"
        case SIGQUIT: "QUIT"
        case SIGKILL: "KILL"
        case SIGTERM: "TERM"
        case SIGPIPE: "PIPE"
        case SIGABRT: "ABRT"
        case SIGSEGV: "SEGV"
        case SIGILL: "ILL"
        case SIGBUS: "BUS"
        case SIGFPE: "FPE"
        default: "USR1"
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionLoop = context.eventLoop
        if phase == .running, exit == nil, let child {
            // The client went: hang the console up (or stop the command), and make sure it goes.
            child.signalGroup(SIGHUP)
            if case .pipes = child.descriptors { child.signalGroup(SIGTERM) }
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .seconds(5)) {
                if bound.value.exit == nil { child.signalGroup(SIGKILL) }
            }
        }
        for channel in outputChannels { channel.close(promise: nil) }
        if phase == .starting { phase = .finished }   // `started` stops what was started
        else { phase = .finished; cleanUp() }
        context.fireChannelInactive()
    }

    /// Gives back the session's place and token and records its end (once).
    private func cleanUp() {
        guard !cleanedUp, holdsPlace || token != nil else { return }
        cleanedUp = true
        let server = self.server, address = connection.address
        let token = self.token, who = signedIn, held = holdsPlace
        let seconds = Int(server.configuration.clock().timeIntervalSince(startedAt).rounded())
        let how: String = switch exit {
        case .status(let code)?: "exit \(code)"
        case .signal(let number)?: "signal \(Self.signalName(number))"
        case nil: "client left"
        }
        let what = self.what
        server.work.async {
            if let token { try? server.store.endSession(token: token) }
            if let who {
                if held { server.sessions.release(who.operatorID) }
                server.audit(.sessionEnd, login: who.login, via: who.via.text, address: address, detail: "\(what): \(how) after \(seconds) s")
            }
        }
    }
}

/// Relays what the program writes (its pty, stdout or stderr) to the session.
final class ChildOutputRelay: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let session: SessionHandler
    private let stderr: Bool

    init(session: SessionHandler, stderr: Bool) { self.session = session; self.stderr = stderr }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        session.fromChild(unwrapInboundIn(data), stderr: stderr)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        session.childInputWritabilityChanged(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.outputClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A pty's master reads EIO once the console and all it started have gone: the end of its output.
        context.close(promise: nil)
    }
}
