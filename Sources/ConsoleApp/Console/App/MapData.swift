import Workflow

/// Turns the region's cells and the per-cell measures into the map widget's model.
enum MapData {
    static func rebuildModel(_ s: inout ConsoleState) {
        let measure = s.map.measure
        let measures = s.map.measures
        let cells = s.map.gridCells.map { cell in
            MapCell(code: cell.code, row: cell.row, col: cell.col, group: String(cell.code.prefix(9)),
                    value: measures[cell.code].map(measure.value) ?? 0)
        }
        s.map.model = MapModel(cells: cells, title: measure.label(s.lang), legendLabel: measure.label(s.lang),
                               groupLabel: s.lang.t("街道", "street"))
        s.map.model.chinese = s.lang == .zh
    }
}
