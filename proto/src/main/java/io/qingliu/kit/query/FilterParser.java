package io.qingliu.kit.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser for the AIP-160 subset: comparisons {@code field = value} or {@code field != value} joined by {@code AND}.
 *
 * <p>Grammar (whitespace allowed between any two tokens):
 * <pre>
 * filter     = [ comparison { "AND" comparison } ]
 * comparison = field ( "=" | "!=" ) value
 * value      = bare | string
 * bare       = 1*( letter | digit | "_" | "-" | "." )
 * string     = '"' { any character but '"' and '\' | '\"' | '\\' } '"'
 * </pre>
 * {@code AND} is case-sensitive. {@code OR}, {@code NOT}, {@code -} negation, parentheses and the operators
 * {@code :}, {@code <}, {@code <=}, {@code >}, {@code >=} are rejected. Positions in messages are 1-based
 * character offsets.
 */
final class FilterParser {

    /** Longest filter accepted, in characters. */
    static final int MAX_LENGTH = 4096;

    /** One parsed comparison; positions are 1-based. */
    record Comparison(String field, int fieldPosition, boolean notEqual, String value, int valuePosition) {
    }

    private enum Kind { WORD, STRING, EQ, NE, END }

    private record Token(Kind kind, String text, int position) {
        String describe() {
            return switch (kind) {
                case WORD -> QueryException.quote(text);
                case STRING -> "string \"" + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "\"";
                case EQ -> "'='";
                case NE -> "'!='";
                case END -> "end of filter";
            };
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equals(word);
        }
    }

    private final String input;
    private int pos;

    private FilterParser(String input) {
        this.input = input;
    }

    static List<Comparison> parse(String filter) {
        if (filter == null) {
            return List.of();
        }
        if (filter.length() > MAX_LENGTH) {
            throw error("filter is too long (" + filter.length() + " characters; at most " + MAX_LENGTH + ")");
        }
        return new FilterParser(filter).parseAll();
    }

    private List<Comparison> parseAll() {
        List<Comparison> result = new ArrayList<>();
        Token token = next();
        if (token.kind == Kind.END) {
            return result;
        }
        while (true) {
            result.add(comparison(token));
            token = next();
            if (token.kind == Kind.END) {
                return result;
            }
            if (token.isWord("AND")) {
                token = next();
                if (token.kind == Kind.END) {
                    throw error("expected a field name after 'AND' at position " + token.position
                            + ", found end of filter");
                }
                continue;
            }
            if (token.isWord("OR")) {
                throw error("OR is not supported (at position " + token.position
                        + "); only comparisons joined by AND are allowed");
            }
            String hint = token.kind == Kind.WORD && token.text.equalsIgnoreCase("and")
                    ? " (the AND keyword is case-sensitive)" : "";
            throw error("expected 'AND' or end of filter at position " + token.position + ", found "
                    + token.describe() + hint);
        }
    }

    private Comparison comparison(Token field) {
        if (field.isWord("NOT")) {
            throw error("NOT is not supported (at position " + field.position + ")");
        }
        if (field.kind == Kind.WORD && field.text.startsWith("-")) {
            throw error("negation '-' is not supported (at position " + field.position + ")");
        }
        if (field.kind != Kind.WORD || field.isWord("AND") || field.isWord("OR")) {
            throw error("expected a field name at position " + field.position + ", found " + field.describe());
        }
        Token op = next();
        if (op.kind != Kind.EQ && op.kind != Kind.NE) {
            throw error("expected '=' or '!=' after " + QueryException.quote(field.text) + " at position "
                    + op.position + ", found " + op.describe());
        }
        Token value = next();
        boolean keyword = value.isWord("AND") || value.isWord("OR") || value.isWord("NOT");
        if ((value.kind != Kind.WORD && value.kind != Kind.STRING) || keyword) {
            throw error("expected a value after " + op.describe() + " at position " + value.position
                    + ", found " + (keyword ? "keyword " : "") + value.describe());
        }
        return new Comparison(field.text, field.position, op.kind == Kind.NE, value.text, value.position);
    }

    private Token next() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
        int start = pos;
        int position = start + 1;
        if (pos >= input.length()) {
            return new Token(Kind.END, "", position);
        }
        char c = input.charAt(pos);
        if (c == '"') {
            return string(position);
        }
        if (isBare(c)) {
            while (pos < input.length() && isBare(input.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.WORD, input.substring(start, pos), position);
        }
        char after = pos + 1 < input.length() ? input.charAt(pos + 1) : 0;
        switch (c) {
            case '=' -> {
                if (after == '=') {
                    throw error("'==' is not supported (at position " + position + "); use '='");
                }
                pos++;
                return new Token(Kind.EQ, "=", position);
            }
            case '!' -> {
                if (after != '=') {
                    throw error("unexpected '!' at position " + position + "; use '!=' for not equal");
                }
                pos += 2;
                return new Token(Kind.NE, "!=", position);
            }
            case '<', '>' -> {
                String op = after == '=' ? "" + c + after : "" + c;
                throw error("operator '" + op + "' is not supported (at position " + position
                        + "); only '=' and '!=' are allowed");
            }
            case ':' -> throw error("the has operator ':' is not supported (at position " + position
                    + "); only '=' and '!=' are allowed");
            case '(', ')' -> throw error("parentheses are not supported (at position " + position
                    + "); write comparisons joined by AND");
            default -> throw error("unexpected character '" + new String(Character.toChars(input.codePointAt(pos)))
                    + "' at position " + position + "; values with characters other than letters, digits, '_', '-'"
                    + " and '.' must be in double quotes");
        }
    }

    private Token string(int position) {
        StringBuilder value = new StringBuilder();
        pos++; // opening quote
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.STRING, value.toString(), position);
            }
            if (c == '\\') {
                char escaped = pos + 1 < input.length() ? input.charAt(pos + 1) : 0;
                if (escaped != '"' && escaped != '\\') {
                    throw error("unsupported escape at position " + (pos + 1)
                            + " in string starting at position " + position + "; only \\\" and \\\\ are allowed");
                }
                value.append(escaped);
                pos += 2;
                continue;
            }
            value.append(c);
            pos++;
        }
        throw error("unterminated string starting at position " + position);
    }

    private static boolean isBare(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    private static QueryException error(String message) {
        return new QueryException(QueryException.FILTER, message);
    }
}
