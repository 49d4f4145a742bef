using System.Globalization;

namespace ConvAsMatrix;

/// <summary>
/// The header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (2, 3), }</c>:
/// a Python literal with exactly the keys descr, fortran_order and shape, as numpy.lib.format writes and requires.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>Formats the dictionary as numpy does (keys sorted, trailing comma), without padding.</summary>
    public string Format() =>
        "{'descr': '" + Descr + "', 'fortran_order': " + (FortranOrder ? "True" : "False") + ", 'shape': ("
        + string.Join(", ", Shape) + (Shape.Length == 1 ? "," : "") + "), }";

    /// <summary>Reads the dictionary; <paramref name="fail"/> builds the exception for a problem.</summary>
    public static NpyHeader Parse(string text, Func<string, Exception> fail) => new Parser(text, fail).Header();

    /// <summary>A recursive-descent reader for the few Python literals a header holds: strings, True/False, tuples of ints.</summary>
    private sealed class Parser(string text, Func<string, Exception> fail)
    {
        private int pos;

        public NpyHeader Header()
        {
            Expect('{');
            string? descr = null;
            bool? fortran = null;
            int[]? shape = null;
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { pos++; break; }
                var key = String();
                Expect(':');
                switch (key)
                {
                    case "descr" when descr is null: descr = String(); break;
                    case "fortran_order" when fortran is null: fortran = Bool(); break;
                    case "shape" when shape is null: shape = Tuple(); break;
                    case "descr" or "fortran_order" or "shape": throw fail($"header repeats the key '{key}'");
                    default: throw fail($"header has the unexpected key '{key}' (only 'descr', 'fortran_order' and 'shape' are allowed)");
                }
                SkipSpace();
                if (Peek() == ',') pos++;
                else if (Peek() != '}') throw fail($"header dictionary expects ',' or '}}' at character {pos}");
            }
            SkipSpace();
            if (pos != text.Length) throw fail($"header has text after the dictionary at character {pos}");
            if (descr is null || fortran is null || shape is null)
                throw fail("header lacks " + string.Join(" and ", new[] { descr is null ? "'descr'" : null, fortran is null ? "'fortran_order'" : null, shape is null ? "'shape'" : null }.OfType<string>()));
            return new NpyHeader(descr, fortran.Value, shape);
        }

        private char Peek() => pos < text.Length ? text[pos] : '\0';

        private void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw fail($"header expects '{c}' at character {pos}");
            pos++;
        }

        private string String()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw fail($"header expects a quoted string at character {pos}");
            int end = text.IndexOf(quote, pos + 1);
            if (end < 0) throw fail("header has an unterminated string");
            var s = text[(pos + 1)..end];
            pos = end + 1;
            return s;
        }

        private bool Bool()
        {
            SkipSpace();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0) { pos += word.Length; return value; }
            throw fail($"header expects True or False for 'fortran_order' at character {pos}");
        }

        private int[] Tuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') { pos++; return dims.ToArray(); }
                int start = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                if (!int.TryParse(text.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                    throw fail($"header 'shape' expects non-negative int32 dimensions, got '{text[start..Math.Max(pos, Math.Min(start + 12, text.Length))]}'");
                dims.Add(d);
                SkipSpace();
                if (Peek() == ',') pos++;
                else if (Peek() != ')') throw fail($"header 'shape' expects ',' or ')' at character {pos}");
            }
        }
    }
}
