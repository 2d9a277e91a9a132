"""LED boards, rating keypads, ticket printers and scanners over pyserial, with simulators (issue 4)."""
