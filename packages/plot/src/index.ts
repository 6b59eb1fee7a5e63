export { formatAxisValue, scaleForAxis, type ValueAxis } from './axis-scale.js';
export { type BarChartSpec, type BarSeries, barChartTable, renderBarChart } from './bar-chart.js';
export { type CdfChartSpec, type CdfSeries, cdfTable, renderCdfChart } from './cdf-chart.js';
export { type AxisSpec, DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, tickLabel } from './chart-frame.js';
export { escapeXml } from './escape.js';
export {
  formatBytes,
  formatNumber,
  formatPercent,
  formatSeconds,
  formatSi,
  formatValue,
  type ValueFormat,
} from './format.js';
export { HOVER_SCRIPT } from './hover-script.js';
export { type HtmlPageSpec, type HtmlSection, renderHtmlPage } from './html-page.js';
export type { LegendItem } from './legend.js';
export { type LineChartSpec, type LineSeries, lineChartTable, renderLineChart, type XyPoint } from './line-chart.js';
export { renderMarkdownish } from './markdown.js';
export { oicfPlaneTable, renderOicfPlane } from './oicf-plane.js';
export {
  capacityWallBytes,
  type OicfPlaneSpec,
  type PlaneDevice,
  type PlanePoint,
  type PlaneRegion,
  type PlaneSeries,
  planeRegion,
} from './oicf-plane-model.js';
export { type MarkerShape, SERIES_COLORS } from './palette.js';
export { renderRoofline, rooflineTable } from './roofline.js';
export type {
  PointKind,
  RooflineDevice,
  RooflinePoint,
  RooflineSeries,
  RooflineSpec,
} from './roofline-model.js';
export { type LogTickBase, linearScale, logScale, type Scale } from './scale.js';
export {
  renderScatterChart,
  type ScatterChartSpec,
  type ScatterPoint,
  type ScatterSeries,
  scatterChartTable,
} from './scatter-chart.js';
export { cellText, columnAlign, renderTableHtml, type TableCell, type TableColumn, type TableData } from './table.js';
export {
  binaryLogTicks,
  linearTicks,
  logTicks,
  niceBinaryLogDomain,
  niceLinearDomain,
  niceLogDomain,
  niceStep,
} from './ticks.js';
export { checkXmlWellFormed, type XmlCheckResult } from './xml-wellformed.js';
