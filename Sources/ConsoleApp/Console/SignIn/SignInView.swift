import Curses
import Workflow

/// Draws the sign-in screen over the whole terminal: the first screen on a signed site, and the idle lock (which
/// hides the console behind it). The password is shown as one • a character, never as typed.
enum SignInView {
    private enum Row {
        case text(String, style: String)
        case field(label: String, value: String, focused: Bool, editable: Bool)
        case blank
    }

    static func screen(_ s: SignInState, lang: Language, theme: Theme, width: Int, height: Int) -> ScreenBuffer {
        var b = ScreenBuffer(width: max(0, width), height: max(0, height), style: theme["normal"])
        guard width >= 20, height >= 5 else {
            b.put(lang.t("窗口太小", "too small"), x: 0, y: 0, style: theme["warning"], clipTo: b.bounds)
            if height > 1 { b.put(s.isLock ? lang.t("已锁定", "locked") : lang.t("登录", "sign in"), x: 0, y: 1, style: theme["muted"], clipTo: b.bounds) }
            return b
        }
        let top = Rect(x: 0, y: 0, width: width, height: 1)
        b.fill(top, style: theme["header"])
        b.put(" CityGrid " + lang.t("数字城管", "city grid"), x: 0, y: 0, style: theme["header"].adding(.bold), clipTo: top)

        var rows = self.rows(s, lang: lang)
        let area = Rect(x: 0, y: 1, width: width, height: height - 1)
        // Blank lines go first when the terminal is short; the fields and the hint stay.
        while rows.count + 2 > area.height, let blank = rows.lastIndex(where: { if case .blank = $0 { true } else { false } }) {
            rows.remove(at: blank)
        }
        let widest = rows.map { row -> Int in
            switch row {
            case .text(let t, _): TerminalText.width(t)
            case .field: 44
            case .blank: 0
            }
        }.max() ?? 40
        let box = area.centered(width: min(area.width, max(44, widest + 4)), height: min(area.height, rows.count + 2))
        b.fill(box, style: theme["overlay"])
        let title = s.isLock ? lang.t(" 已锁定 ", " Locked ") : lang.t(" 登录 ", " Sign in ")
        b.drawBox(box, style: theme["border.focus"], title: title, titleStyle: theme["title"])
        let inner = box.inset(horizontal: 2, vertical: 1)
        guard !inner.isEmpty else { return b }
        for (i, row) in rows.enumerated() where inner.y + i < inner.maxY {
            let y = inner.y + i
            switch row {
            case .blank:
                break
            case .text(let text, let style):
                b.put(text, x: inner.x, y: y, style: theme[style], clipTo: inner)
            case .field(let label, let value, let focused, let editable):
                let labelWidth = min(12, max(0, inner.width / 3))
                b.put(TerminalText.truncate(label, toWidth: labelWidth), x: inner.x, y: y, style: theme[focused ? "title" : "normal"], clipTo: inner)
                let valueRect = Rect(x: inner.x + labelWidth + 1, y: y, width: max(0, inner.maxX - inner.x - labelWidth - 1), height: 1)
                b.fill(valueRect, style: theme[focused ? "input.focus" : editable ? "input" : "muted"])
                // The end of what was typed stays in sight, with the cursor after it.
                let room = max(0, valueRect.width - 1)
                var shown = value
                while TerminalText.width(shown) > room, !shown.isEmpty { shown.removeFirst() }
                b.put(shown + (focused ? "▏" : ""), x: valueRect.x, y: y, style: theme[focused ? "input.focus" : editable ? "input" : "muted"], clipTo: valueRect)
            }
        }
        return b
    }

    private static func rows(_ s: SignInState, lang: Language) -> [Row] {
        let bullets = String(repeating: "•", count: s.password.count)
        let loginLabel = lang.t("登录名", "Login"), passwordLabel = lang.t("密码", "Password")
        var rows: [Row]
        switch s.mode {
        case .signIn:
            rows = [
                .text(lang.t("本站需要操作员登录。", "This site signs its operators in."), style: "normal"),
                .blank,
                .field(label: loginLabel, value: s.login, focused: s.field == .login, editable: true),
                .field(label: passwordLabel, value: bullets, focused: s.field == .password, editable: true),
                .blank,
            ]
        case .locked:
            rows = [
                .text(lang.t("控制台已为 \(s.login) 锁定（长时间无操作）。", "Locked for \(s.login): no key for a while."), style: "warning"),
                .text(lang.t("输入 \(s.login) 的密码继续，内容均已保留。", "Enter \(s.login)'s password to carry on where you were."), style: "normal"),
                .blank,
                .field(label: loginLabel, value: s.login, focused: false, editable: false),
                .field(label: passwordLabel, value: bullets, focused: true, editable: true),
                .blank,
            ]
        case .lockedNoPassword:
            return [
                .text(lang.t("控制台已为 \(s.login) 锁定（长时间无操作）。", "Locked for \(s.login): no key for a while."), style: "warning"),
                .blank,
                .text(lang.t("此会话未用密码登录，无法在此解锁。", "This session was not signed in with a password and cannot be unlocked here."), style: "normal"),
                .text(lang.t("请按 q 退出后重新连接。", "Press q to quit, then reconnect."), style: "normal"),
                .blank,
                .text(lang.t("q 退出", "q quit"), style: "hint"),
            ]
        }
        if let message = s.message {
            rows.append(.text("⚠ " + text(message, s, lang: lang), style: "error"))
        }
        if s.mode == .locked {
            rows.append(.text(lang.t("其他操作员请退出（Ctrl-C），再启动自己的控制台。", "Another operator: quit (Ctrl-C) and start your own console."), style: "muted"))
            rows.append(.text(lang.t("Enter 继续 · Ctrl-C 退出", "Enter resume · Ctrl-C quit"), style: "hint"))
        } else {
            rows.append(.text(lang.t("Enter 登录 · Tab 切换 · Esc 退出", "Enter sign in · Tab next field · Esc quit"), style: "hint"))
        }
        return rows
    }

    static func text(_ message: SignInState.Message, _ s: SignInState, lang: Language) -> String {
        switch message {
        case .enterLogin: lang.t("请输入登录名", "Enter your login")
        case .enterPassword: lang.t("请输入密码", "Enter your password")
        case .notAccepted:
            lang.t("登录名或密码未通过", "Login or password not accepted") + (s.failures > 1 ? " (\(s.failures))" : "")
        case .loginLocked:
            lang.t("连续 \(CityStore.failuresBeforeLock) 次失败，该登录名已锁定\(CityStore.lockSeconds == 60 ? " 1 分钟" : " \(CityStore.lockSeconds) 秒")",
                   "This login is locked for \(CityStore.lockSeconds == 60 ? "a minute" : "\(CityStore.lockSeconds) seconds") after \(CityStore.failuresBeforeLock) failed attempts")
        case .failure(let text): text
        }
    }
}
