Feature: Collecting the room number
  The line asks for a room number. A caller who keys nothing is asked again, and after three
  silent prompts the line says goodbye and hangs up. Time passes on the gate's virtual clock.

  Scenario: a caller who never presses is asked again, then released
    When "alice" calls the app
    Then "alice" hears "room number"
    When 30 seconds pass
    Then "alice" hears "did not get a room number"
    And "alice" hears "Goodbye"
    And "alice"'s call ends
    And "alice" is not in a conference

  Scenario: a caller who hangs up while entering digits leaves cleanly
    When "alice" calls the app
    Then "alice" hears "room number"
    When "alice" hangs up
    Then "alice"'s call ends
    And "alice" is not in a conference
