using Spectre.Console;

namespace Backprop.Simd.Cli.Output;

/// <summary>Spectre.Console tables whose cells are plain text: brackets in names such as "[250, 50, 10]" are not markup.</summary>
internal static class TextTable
{
    /// <summary>A table with these column headers.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table();
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    public static Table AddTextRow(this Table table, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.AddRow([.. cells.Select(c => new Text(c))]);
    }
}
