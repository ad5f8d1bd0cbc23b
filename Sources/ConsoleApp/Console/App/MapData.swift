import Workflow

/// Turns the region's cells and the per-cell measures into the map widget's model.
enum MapData {
    static func rebuildModel(_ s: inout ConsoleState) {
        let measure = s.map.measure
        let measures = s.map.measures
        let map = s.map
        let cells = s.map.gridCells.map { cell in
            MapCell(code: cell.code, row: cell.row, col: cell.col, group: CellCode.street(of: cell.code),
                    value: map.hotspot ? map.zScores[cell.code] ?? 0
                        : measure.usesWindow ? map.windowValues[cell.code] ?? 0 : measures[cell.code].map(measure.value) ?? 0)
        }
        var title = measure.label(s.lang)
        if measure.usesWindow || map.hotspot { title += " · " + map.windowText }
        if map.hotspot { title = s.lang.t("热点 Getis-Ord Gi*（8邻域）· ", "hotspots Getis-Ord Gi* (8 neighbours) · ") + title }
        s.map.model = MapModel(cells: cells, title: title, legendLabel: map.hotspot ? "Gi* z" : measure.label(s.lang),
                               groupLabel: s.lang.t("街道", "street"))
        s.map.model.scale = map.hotspot ? .hotspot : map.quantile ? .quantile : .linear
        s.map.model.chinese = s.lang == .zh
    }
}
