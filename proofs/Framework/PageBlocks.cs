namespace ConvAsMatrix.Proofs;

/// <summary>
/// One piece of a proof's page: what a proof says, shows and checks, independent of where it is shown. The
/// terminal (<see cref="TerminalRenderer"/>) and the web site (<see cref="HtmlRenderer"/>) render the same blocks,
/// so a proof is described once.
/// </summary>
public abstract record PageBlock;

/// <summary>A sub-heading inside the proof ("The computation", "Why", ...).</summary>
/// <param name="Title">The heading's text.</param>
public sealed record HeadingBlock(string Title) : PageBlock;

/// <summary>
/// Prose: consecutive lines form one paragraph; a line that starts with a space (a formula) or follows an empty
/// line starts afresh and keeps its indentation (<see cref="Wrap.Paragraphs"/>).
/// </summary>
/// <param name="Text">The text, lines separated by '\n'.</param>
public sealed record ProseBlock(string Text) : PageBlock;

/// <summary>A quotation from the seed lecture note in its own words (Chinese, code), then its English rendering.</summary>
/// <param name="Original">The lecture's lines.</param>
/// <param name="English">The rendering, prose as in <see cref="ProseBlock"/>.</param>
public sealed record QuoteBlock(string Original, string English) : PageBlock;

/// <summary>A blank line in the terminal; nothing on the web page.</summary>
public sealed record GapBlock : PageBlock;

/// <summary>A matrix as printed: each entry already formatted, with optional rules between blocks of rows and columns.</summary>
/// <param name="Label">E.g. "V =" (may be empty).</param>
/// <param name="Cells">The formatted entries; a zero is "·" when the matrix is a sparsity picture.</param>
/// <param name="RowBlock">A rule after every this many rows (0: none).</param>
/// <param name="ColumnBlock">A rule after every this many columns (0: none).</param>
public sealed record MatrixItem(string Label, string[,] Cells, int RowBlock = 0, int ColumnBlock = 0);

/// <summary>One or more matrices shown side by side (e.g. the terms of a sum).</summary>
/// <param name="Items">The matrices, left to right.</param>
public sealed record MatricesBlock(IReadOnlyList<MatrixItem> Items) : PageBlock;

/// <summary>A vector printed as one bracketed row.</summary>
/// <param name="Label">E.g. "Vᵀ·vec(X) =".</param>
/// <param name="Cells">The formatted elements.</param>
public sealed record VectorBlock(string Label, IReadOnlyList<string> Cells) : PageBlock;

/// <summary>A table of numbers or words with a header row (a sweep over parameters, a comparison of counts).</summary>
/// <param name="Header">The column titles.</param>
/// <param name="Rows">The rows, each as many cells as the header.</param>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : PageBlock;

/// <summary>A recorded check with its computed outcome and, when it failed, the first difference found.</summary>
/// <param name="Check">The statement and whether it holds.</param>
/// <param name="Difference">Where expected and actual first differ, if the check compared two things and failed.</param>
public sealed record CheckBlock(ProofCheck Check, string? Difference) : PageBlock;

/// <summary>A figure drawn from the library's results: a text picture in the terminal, an SVG on the web page.</summary>
/// <param name="Figure">What to draw.</param>
public sealed record FigureBlock(Figure Figure) : PageBlock;
