namespace ConvAsMatrix.Explorer.Model;

/// <summary>
/// The controls' text, parameter by parameter, as the reader typed it: the query string is made from it and parsed by
/// <see cref="ExplorerQuery.Parse"/>, so the controls, the address and the proof site's links share one grammar (convmat's).
/// </summary>
public sealed class FormState
{
    /// <summary>The parameters, in the order of the address.</summary>
    public static readonly IReadOnlyList<string> Keys = new ExplorerQuery().Parameters().Select(p => p.Key).ToList();

    private readonly Dictionary<string, string> values = [];

    /// <summary>The form of <paramref name="query"/>'s parameters (the defaults for those absent).</summary>
    public static FormState FromQuery(string query)
    {
        var form = new FormState();
        ExplorerQuery parsed;
        try { parsed = ExplorerQuery.Parse(query); }
        catch (ArgumentException) { parsed = new ExplorerQuery(); }
        form.Load(parsed);
        // What the address gives is kept as written, even when invalid: the page then shows why.
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (Keys.Contains(key)) form.values[key] = Uri.UnescapeDataString((eq < 0 ? "" : pair[(eq + 1)..]).Replace('+', ' '));
        }
        return form;
    }

    private void Load(ExplorerQuery q)
    {
        foreach (var (key, value) in q.Parameters()) values[key] = value;
    }

    /// <summary>The text of parameter <paramref name="key"/>.</summary>
    public string this[string key]
    {
        get => values.TryGetValue(key, out var v) ? v : "";
        set => values[key] = value ?? "";
    }

    /// <summary>The rank the input field implies (its number of comma-separated sizes).</summary>
    public int Rank => this["input"].Split(',').Length;

    /// <summary>The padding's kind, as the padding control's first menu shows it.</summary>
    public string PaddingKind
    {
        get
        {
            string p = this["padding"].Trim().ToLowerInvariant();
            return p is "same" or "valid" ? p : p.Contains(':') ? "asymmetric" : "symmetric";
        }
    }

    /// <summary>Switches the padding's kind, keeping the amounts where the new kind has them.</summary>
    public void SetPaddingKind(string kind)
    {
        string first = FirstNumber(this["padding"].Replace(':', ','), "1");
        this["padding"] = kind switch
        {
            "same" => "same",
            "valid" => "valid",
            "asymmetric" => string.Join(",", Enumerable.Repeat($"{first}:{first}", Rank)),
            _ => first,
        };
    }

    /// <summary>Switches to rank <paramref name="rank"/>: every per-dimension list becomes its first value repeated (or one value).</summary>
    public void SetRank(int rank)
    {
        this["input"] = string.Join(",", Enumerable.Repeat(FirstNumber(this["input"], "4"), rank));
        this["kernel"] = string.Join(",", Enumerable.Repeat(FirstNumber(this["kernel"], "3"), rank));
        foreach (var key in new[] { "stride", "dilation", "output_padding" })
            this[key] = FirstNumber(this[key], key == "output_padding" ? "0" : "1");
        if (PaddingKind == "asymmetric")
            this["padding"] = string.Join(",", Enumerable.Repeat(this["padding"].Split(',')[0], rank));
        else if (PaddingKind == "symmetric")
            this["padding"] = FirstNumber(this["padding"], "0");
    }

    private static string FirstNumber(string list, string fallback)
    {
        string first = list.Split(',')[0].Trim();
        return first.Length > 0 && first.All(char.IsAsciiDigit) ? first : fallback;
    }

    /// <summary>The query string of the controls, parameters in order; those at their defaults are left out when the whole is valid (<see cref="ExplorerQuery.ToQuery"/>).</summary>
    public string ToQuery()
    {
        string raw = string.Join("&", Keys.Select(k => $"{k}={ExplorerQuery.Escape(this[k])}"));
        try { return ExplorerQuery.Parse(raw).ToQuery(); }
        catch (ArgumentException) { return raw; }
    }
}
