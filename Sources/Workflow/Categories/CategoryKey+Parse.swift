extension CategoryKey {
    /// `0102` (of `defaultKind`), `event:0102`, `event/0102` or `event 0102`.
    public static func parse(_ text: String, defaultKind: CategoryKind) throws(WorkflowError) -> CategoryKey {
        try CityStore.parseCategory(text, defaultKind: defaultKind)
    }
}
