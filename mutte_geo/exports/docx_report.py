"""A Word report (.docx) staff can edit and sign: maps, real tables and drafted paragraphs.

Page and type follow the administrative format of Nghị định 30/2020/NĐ-CP on clerical work
(Phụ lục I, kỹ thuật trình bày văn bản hành chính): A4 (210 × 297 mm), portrait; margins top and
bottom 20–25 mm, left 30–35 mm, right 15–20 mm; font Times New Roman (Unicode, TCVN 6909:2001),
black; body text 13–14 pt, justified, first line indented 1–1.27 cm, at least 6 pt between
paragraphs; page numbers centred in the top margin, none on the first page. (Checked against the
annex as quoted by giaoan.link "Định dạng đúng chuẩn trong văn bản hành chính" and
lrc-hueuni.edu.vn "Cỡ chữ chuẩn trong Word"; the decree's own page is not in the reference store.)

Captions use Word's SEQ fields ("Hình 1.", "Bảng 1."), so numbering stays right when staff edit.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from mutte_geo.analysis.ntm import Tracker
from mutte_geo.analysis.overview import flags, gap_text, heading_label, result_text, target_text
from mutte_geo.analysis.targets import atlas_targets, group_by_heading, status_label
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_date, format_period, gettext, pgettext
from mutte_geo.exports.access import atlas_for
from mutte_geo.exports.filenames import report_choices
from mutte_geo.exports.formats import export_bytes
from mutte_geo.exports.narrative import draft_indicator, units_noun
from mutte_geo.maps.printoptions import PrintOptions, default_subtitle, source_label, sources_line
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST, RESULT_KINDS
from mutte_geo.model.ntm import MET, NOT_MET
from mutte_geo.model.units import VINTAGES
from mutte_geo.storage.auth import User

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13  # captions and tables: still within the decree's 13–14 pt
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # each at the low end of the decree's range
FIRST_LINE_INDENT_MM = 12.7
FIGURE_WIDTH_MM = 135  # the A4 map page (191 mm high) and its caption fit the 165 × 257 mm text area
LANDSCAPE_TEXT_MM = 297 - MARGINS_MM["left"] - MARGINS_MM["right"]
NTM_MARKS = {MET: ("Đ", "M"), NOT_MET: ("C", "N")}  # (Vietnamese, English) cell marks; empty: not assessed
TABLE_STYLE = "Table Text"
TABLE_STYLE_ID = "TableText"  # python-docx derives the id from the name


@dataclass(frozen=True)
class ReportRequest:
    """What a Word report covers."""

    indicators: tuple[str, ...]
    vintage: int = 2024
    period: str = LATEST
    lang: str = "vi"
    title: str | None = None
    export_date: dt.date = field(default_factory=dt.date.today)


def check_indicators(atlas: Atlas, indicators: tuple[str, ...], vintage: int, period: str = LATEST) -> None:
    """One clear sentence when the choice cannot make a report (nothing is written then)."""
    if vintage not in VINTAGES:
        raise ExportError(f"unknown boundary vintage {vintage}: choose one of {', '.join(map(str, VINTAGES))}")
    if not indicators:
        raise ExportError("choose at least one indicator for the report")
    choices = report_choices(atlas, vintage)
    for ident in indicators:
        if ident not in atlas.catalogue:  # also a sensitive indicator the user may not see: not told apart
            raise ExportError(f"unknown indicator '{ident}' (see data/indicators/catalogue.csv for ids)")
        if ident not in choices:
            raise ExportError(f"'{ident}' ({atlas.catalogue[ident].name_en}) has no values in the {vintage} "
                              "boundaries: choose another indicator or vintage")
        values = atlas.values
        if period != LATEST and not ((values["indicator"] == ident) & (values["vintage"] == vintage)
                                     & (values["period"] == period) & values["kind"].isin(RESULT_KINDS)).any():
            raise ExportError(f"'{ident}' has no values for period '{period}' in the {vintage} boundaries "
                              "(use --period latest or one of its periods)")


def word_report(atlas: Atlas, request: ReportRequest, *, user: User | None, ntm: Tracker | None = None) -> bytes:
    """The report as .docx bytes; only what ``user`` may see. ``ntm``: the NTM grid to add as a table."""
    atlas = atlas_for(atlas, user)
    check_indicators(atlas, request.indicators, request.vintage, request.period)
    if ntm is not None and ntm.criteria_set.vintage != request.vintage:
        raise ExportError(f"the NTM grid is of the {ntm.criteria_set.vintage} communes, the report of "
                          f"{request.vintage}")
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    writer = _Writer(doc, atlas, request, ntm)
    writer.write()
    buffer = io.BytesIO()
    doc.core_properties.title = writer.title
    doc.core_properties.author = "Atlas xã Mường Tè"
    doc.core_properties.language = request.lang
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- page and styles


def _page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on the first page
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE", "2")


def _font(style_or_run, size: float, *, bold: bool | None = None, italic: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    font.size = Pt(size)
    font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _styles(doc: DocumentObject) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.0
    for name, size in (("Title", BODY_PT), ("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Header", SMALL_PT)):
        _font(styles[name], size, bold=name != "Header", italic=False)
        styles[name].paragraph_format.space_before = Pt(6)
        styles[name].paragraph_format.space_after = Pt(6)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_pr = styles["Title"].element.get_or_add_pPr()
    for border in title_pr.findall(qn("w:pBdr")):  # the template underlines the title
        title_pr.remove(border)
    caption = styles["Caption"]
    _font(caption, SMALL_PT, bold=False, italic=False)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(3), Pt(9)
    table_text = styles.add_style(TABLE_STYLE, 1)
    table_text.base_style = normal
    _font(table_text, SMALL_PT)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.first_line_indent = Mm(0)
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _table_text(paragraph: Paragraph) -> None:
    """The table style by its id: python-docx's lookup by name scans every style (seconds for a long table)."""
    paragraph._p.style = TABLE_STYLE_ID


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, SEQ ...) with its current result, so readers without a refresh see the number."""
    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _widths(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths (Word reads the cells, LibreOffice the grid: both are set)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


# ---------------------------------------------------------------- content


class _Writer:
    def __init__(self, doc: DocumentObject, atlas: Atlas, request: ReportRequest, ntm: Tracker | None = None) -> None:
        self.doc, self.atlas, self.request, self.lang = doc, atlas, request, request.lang
        self.ntm = ntm
        self.figures = 0
        self.tables = 0
        self.noun = units_noun(atlas, request.vintage, self.lang)
        self.title = request.title or gettext(self.lang, "Selected socio-economic indicators by {noun}").format(
                                          noun=self.noun)

    def write(self) -> None:
        self.letterhead()
        self.intro()
        self.heading(gettext(self.lang, "I. INDICATORS"), 1)
        for number, ident in enumerate(self.request.indicators, start=1):
            self.indicator_section(number, ident)
        rows = atlas_targets(self.atlas)
        if rows:
            self.heading(gettext(self.lang, "II. RESULTS AGAINST THE 2025 TARGETS"), 1)
            self.targets_table(rows)
        if self.ntm is not None and self.ntm.assessed.sum():
            self.ntm_grid(self.ntm, "III" if rows else "II")
        self.signature()

    # --- blocks
    def heading(self, text: str, level: int) -> None:
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def body(self, text: str) -> Paragraph:
        paragraph = self.doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
        return paragraph

    def caption(self, label: str, text: str) -> Paragraph:
        """'Hình 1. …' / 'Bảng 1. …' with a SEQ field, in the Caption style."""
        if label == "figure":
            self.figures += 1
            word, number = gettext(self.lang, "Figure"), self.figures
        else:
            self.tables += 1
            word, number = gettext(self.lang, "Table"), self.tables
        paragraph = self.doc.add_paragraph(style="Caption")
        paragraph.paragraph_format.keep_together = True
        lead = paragraph.add_run(f"{word} ")
        lead.bold = True
        _field(paragraph, f"SEQ {word} \\* ARABIC", str(number))
        paragraph.runs[-1].bold = True
        paragraph.add_run(".").bold = True
        paragraph.add_run(f" {text}")
        return paragraph

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> Table:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            _table_text(cell.paragraphs[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values):
                cell.text = text
                _table_text(cell.paragraphs[0])
        _widths(table, widths_mm)
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for row in table.rows:  # a row never breaks across pages
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        self.doc.add_paragraph()
        return table

    def letterhead(self) -> None:
        vintage = self.request.vintage
        issuer = (gettext(self.lang, "PEOPLE'S COMMITTEE\nOF MƯỜNG TÈ DISTRICT")
                  if vintage < 2025 else gettext(self.lang, "PEOPLE'S COMMITTEE\nOF ……………………"))
        head = self.doc.add_table(rows=1, cols=2)
        _no_borders(head)
        left, right = head.rows[0].cells
        _widths(head, [65, 100])
        self._lines(left, [(issuer, SMALL_PT, True), ("", SMALL_PT, False),
                           (gettext(self.lang, "No.:       /BC-UBND"), SMALL_PT, False)])
        nation = gettext(self.lang, "SOCIALIST REPUBLIC OF VIETNAM")
        motto = gettext(self.lang, "Independence - Freedom - Happiness")
        self._lines(right, [(nation, SMALL_PT, True), (motto, BODY_PT, True), ("", SMALL_PT, False)])
        place = right.add_paragraph(gettext(self.lang, "Mường Tè, ……… {year}").format(
                                        year=self.request.export_date.year))
        _table_text(place)
        place.alignment = WD_ALIGN_PARAGRAPH.CENTER
        place.runs[0].italic = True
        self.doc.add_paragraph()
        self.doc.add_paragraph(gettext(self.lang, "REPORT"), style="Title")
        self.doc.add_paragraph(self.title, style="Title")

    def _lines(self, cell, lines: list[tuple[str, float, bool]]) -> None:
        first = True
        for text, size, bold in lines:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            _table_text(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for i, part in enumerate(text.split("\n")):
                run = paragraph.add_run(part)
                run.bold = bold
                run.font.size = Pt(size)
                if i < len(text.split("\n")) - 1:
                    run.add_break(WD_BREAK.LINE)

    def intro(self) -> None:
        vintage, lang = self.request.vintage, self.lang
        count = len(self.atlas.units[vintage])
        bounds = gettext(self.lang, "{vintage} boundaries ({count} {noun})").format(
                     vintage=vintage, count=count, noun=self.noun)
        day = format_date(self.request.export_date, lang)
        self.body(gettext(self.lang, "This report was made from the values stored in the Mường Tè commune "
                                     "atlas on {day}, on the {bounds}. Every value gives its period, kind "
                                     "(actual, estimate, target) and source; a unit without a value says “No "
                                     "data”. The remarks below only restate stored values.").format(
                      day=day, bounds=bounds))

    def indicator_section(self, number: int, ident: str) -> None:
        request, lang = self.request, self.lang
        indicator = self.atlas.catalogue[ident]
        self.heading(f"{number}. {indicator.name(lang)}", 2)
        self.body(draft_indicator(self.atlas, ident, vintage=request.vintage, lang=lang, period=request.period).text)
        map_request = MapRequest(ident, request.vintage, request.period, RESULT_KINDS, lang)
        view = map_view(self.atlas, map_request)
        if not view.joined["has_data"].any():
            self.body(gettext(self.lang, "There are no commune values of this indicator on the {vintage} "
                                         "boundaries, so there is no map or commune table.").format(
                          vintage=request.vintage))
            return
        options = PrintOptions("a4", "portrait", 300, export_date=request.export_date)
        picture = export_bytes("png", self.atlas, view, request=map_request, options=options)
        figure = self.doc.add_paragraph()
        figure.alignment = WD_ALIGN_PARAGRAPH.CENTER
        figure.paragraph_format.first_line_indent = Mm(0)
        figure.paragraph_format.keep_with_next = True
        figure.add_run().add_picture(io.BytesIO(picture), width=Mm(FIGURE_WIDTH_MM))
        subtitle = default_subtitle(request.period, RESULT_KINDS, request.vintage, lang)
        self.caption("figure", f"{indicator.name(lang)}. {subtitle}. {sources_line(view, lang)}. "
                               + " ".join(self.atlas.attribution(request.vintage)))
        joined = view.joined
        period = gettext(self.lang, "latest value of each unit") if request.period == LATEST \
            else format_period(request.period, lang)
        caption = self.caption("table", gettext(self.lang, "{name} by {noun} ({period})").format(
                                            name=indicator.name(lang), noun=self.noun, period=period))
        caption.paragraph_format.keep_with_next = True
        rows = [[str(i), str(r.label), str(r.code), str(r.value_text), str(r.period_text),
                 source_label(str(r.source)) if r.source else ""]
                for i, r in enumerate(joined.itertuples(), start=1)]
        self.table([pgettext(self.lang, "docx_report", "No."), gettext(self.lang, "Unit"), gettext(self.lang, "Code"),
                    gettext(self.lang, "Value"), gettext(self.lang, "Period"), gettext(self.lang, "Source")],
                   rows, [13, 37, 16, 34, 30, 33])

    def targets_table(self, rows: list) -> None:
        lang = self.lang
        self.body(gettext(self.lang, "District figures from the Mường Tè district People's Committee's 2025 "
                                     "socio-economic plan orientation report (6/2024): results from section I.2.1, "
                                     "targets from section II.3. Gap = latest result minus target; a gap between two "
                                     "rates is in percentage points."))
        caption = self.caption("table", gettext(self.lang, "Results against the 2025 targets (district)"))
        caption.paragraph_format.keep_with_next = True
        body: list[list[str]] = []
        number = 0
        for category, group in group_by_heading(rows):
            body.append(["", heading_label(category, lang), "", "", "", ""])
            for row in group:
                number += 1
                result = result_text(row, lang)
                if row.actual_period is not None:
                    result += f" ({format_period(row.actual_period, lang)}"
                    result += "".join(f", {f}" for f in flags(row, lang)) + ")"
                body.append([str(number), row.indicator.name(lang), result, target_text(row, lang),
                             gap_text(row, lang), status_label(row.status, lang)])
        table = self.table([pgettext(self.lang, "docx_report", "No."), gettext(self.lang, "Indicator"),
                            gettext(self.lang, "Latest result"), gettext(self.lang, "2025 target"),
                            gettext(self.lang, "Gap"), gettext(self.lang, "Status")],
                           body, [13, 50, 30, 25, 24, 21])
        for values, table_row in zip(body, table.rows[1:]):
            if not values[0]:  # a heading row of the report's sections
                merged = table_row.cells[1].merge(table_row.cells[5])
                for extra in merged.paragraphs[1:]:  # the merged cells' empty paragraphs
                    extra._p.getparent().remove(extra._p)
                merged.paragraphs[0].runs[0].bold = True

    def ntm_grid(self, ntm: Tracker, part: str) -> None:
        """The commune × criterion grid as a real table on a landscape page, with the criteria set's legal
        reference, a key, a row of communes meeting each criterion and the assessment sources."""
        criteria_set, lang = ntm.criteria_set, self.lang
        units = self.atlas.units[criteria_set.vintage]
        signed = format_date(criteria_set.signed_on, lang)
        total = len(ntm.grid)
        self._orientation(WD_ORIENT.LANDSCAPE)
        self.heading(gettext(self.lang, "{part}. NEW-RURAL-AREA CRITERIA").format(part=part), 1)
        set_title = criteria_set.title_vi if lang == "vi" else criteria_set.title_en
        self.body(gettext(self.lang, "Assessed against the {set_title}, issued with the Prime Minister's "
                                     "Decision No. {decision} of {signed} ({size} criteria). {year}: "
                                     "{n_meeting_all}/{total} communes meet all {size} criteria; "
                                     "{n_fully_assessed}/{total} communes are assessed on every criterion.").format(
                      set_title=set_title, decision=criteria_set.decision, signed=signed, size=criteria_set.size,
                      year=ntm.year, n_meeting_all=len(ntm.meeting_all()), total=total,
                      n_fully_assessed=len(ntm.fully_assessed)))
        caption = self.caption("table", gettext(self.lang, "New-rural-area criteria met in {year} by commune "
                                                           "(Decision {decision})").format(
                                            year=ntm.year, decision=criteria_set.decision))
        caption.paragraph_format.keep_with_next = True
        met_mark, not_met_mark = (NTM_MARKS[s][0 if lang == "vi" else 1] for s in (MET, NOT_MET))
        key = self.body(gettext(self.lang, "{met_mark}: met; {not_met_mark}: not met; empty: not assessed "
                                           "(not the same as not met).").format(
                            met_mark=met_mark, not_met_mark=not_met_mark))
        key.paragraph_format.keep_with_next = True
        index = 0 if lang == "vi" else 1
        numbers = [c.number for c in criteria_set.criteria]
        body = [[str(i), units[code].name_vi,
                 *[NTM_MARKS[s][index] if s in NTM_MARKS else "" for s in ntm.grid.loc[code, numbers]],
                 f"{int(ntm.met[code])}/{criteria_set.size}"]
                for i, code in enumerate(ntm.grid.index, start=1)]
        shares = ntm.criterion_shares().set_index("criterion")["met"]
        body.append(["", gettext(self.lang, "Communes met"), *[f"{int(shares[n])}" for n in numbers],
                     f"/{total}"])
        width = (LANDSCAPE_TEXT_MM - 15 - 36 - 18) / len(numbers)
        self.table([pgettext(self.lang, "docx_report", "No."), gettext(self.lang, "Commune"), *map(str, numbers),
                    gettext(self.lang, "Met")],
                   body, [15, 36, *[width] * len(numbers), 18])
        self.body(gettext(self.lang, "Criteria: ") + "; ".join(c.label(lang) for c in criteria_set.criteria) + ".")
        sources = sorted(set(ntm.details["source"]))
        self.body(gettext(self.lang, "Criteria set source: {source}. Assessment source: ").format(
                      source=criteria_set.source) + "; ".join(sources) + ".")
        self._orientation(WD_ORIENT.PORTRAIT)
        self.doc.add_paragraph()  # a section starting with a table keeps the previous page's layout in LibreOffice

    def _orientation(self, orientation: WD_ORIENT) -> None:
        """A new section from here on, landscape or portrait, with the same margins and page numbers."""
        section = self.doc.add_section()
        section.orientation = orientation
        long, short = Mm(297), Mm(210)
        section.page_width, section.page_height = (long, short) if orientation == WD_ORIENT.LANDSCAPE else (short, long)
        section.different_first_page_header_footer = False

    def signature(self) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        _widths(table, [85, 80])
        recipients = left.paragraphs[0]
        _table_text(recipients)
        run = recipients.add_run(gettext(self.lang, "Recipients:"))
        run.bold, run.italic = True, True
        for line in (gettext(self.lang, "- As above;"), gettext(self.lang, "- Filed: VT.")):
            paragraph = left.add_paragraph(line)
            _table_text(paragraph)
            paragraph.runs[0].font.size = Pt(11)
        self._lines(right, [(gettext(self.lang, "SIGNED BY"), BODY_PT, True)])
        hint = right.add_paragraph(gettext(self.lang, "(Signature and full name)"))
        _table_text(hint)
        hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
        hint.runs[0].italic = True

