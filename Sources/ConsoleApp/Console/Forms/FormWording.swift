import Workflow

/// Names the forms show for what Workflow keeps as codes.
extension Language {
    /// A report's source as an operator names it: "热线" / "hotline", never the stored code beside it.
    func source(_ source: ReportSource) -> String {
        switch source {
        case .inspector: t("监督员上报", "inspector")
        case .hotline: t("热线电话", "hotline call")
        case .web: t("网站", "website")
        case .app: t("手机应用", "mobile app")
        case .leader: t("领导批示", "leader's instruction")
        case .sensor: t("物联感知", "sensor")
        }
    }

    /// What a case is about: a city object (部件) or an event (事件).
    func kind(_ kind: CategoryKind) -> String {
        switch kind {
        case .component: t("部件", "component")
        case .event: t("事件", "event")
        }
    }
}
