Feature: Callers meet in the conference of the room they enter
  Callers dial the line, hear a prompt, key a room number and press pound. The first caller of a
  room opens its conference; later callers join it for as long as it exists and is not terminated,
  including after everyone has left it.

  Scenario: two callers with the same room number meet
    When "alice" calls the app
    Then "alice" hears "room number"
    When "alice" presses "1234#"
    Then "alice" is in a conference
    When "bob" calls the app from "+15550104444"
    And "bob" presses "1234#"
    Then "bob" is in a conference
    And "alice" and "bob" are in the same conference
    # the line counts the room's participants through the REST API for its greeting
    And "bob" hears "One other caller is here"

  Scenario: different room numbers stay apart
    When "alice" calls the app
    And "alice" presses "1111#"
    And "bob" calls the app
    And "bob" presses "2222#"
    Then "alice" is in a conference
    And "bob" is in a conference
    And "alice" and "bob" are in different conferences

  Scenario: a room whose conference emptied is reused
    When "alice" calls the app
    And "alice" presses "2468#"
    Then "alice" is in a conference
    When "alice" hangs up
    Then "alice" is not in a conference
    When "bob" calls the app
    And "bob" presses "2468#"
    Then "bob" is in a conference
    # alice has left, so her last conference can be in progress again only if bob was put into it
    And the conference of "alice" is "inProgress"

  Scenario: the room's conference starts when the first caller joins
    When "alice" calls the app
    And "alice" presses "1357#"
    Then "alice" is in a conference
    And the conference of "alice" is "inProgress"
