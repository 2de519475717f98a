Feature: The team line
  Callers key the meeting PIN and meet in the line's one conference. A wrong PIN is asked for
  again; the conference is reused until it is terminated, then the next caller opens a new one.

  Scenario: two callers with the PIN meet
    When "alice" calls the app
    Then "alice" hears "PIN"
    When "alice" presses "1234#"
    And "bob" calls the app
    And "bob" presses "1234#"
    Then "alice" and "bob" are in the same conference

  Scenario: a wrong PIN is asked for again
    When "carol" calls the app
    And "carol" presses "9999#"
    Then "carol" hears "not right"
    And "carol" is not in a conference

  Scenario: after the conference is terminated, the next caller opens a new one
    When "alice" calls the app
    And "alice" presses "1234#"
    Then "alice" is in a conference
    When the conference of "alice" is terminated through REST
    Then "alice"'s call ends
    When "bob" calls the app
    And "bob" presses "1234#"
    Then "bob" is in a conference
    And the conference of "bob" is "inProgress"
    And the conference of "alice" is "terminated"
