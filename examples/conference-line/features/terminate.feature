Feature: A terminated room opens a new conference
  A terminated conference can never be used again. The line must notice the termination, from
  either reading of the callbacks (empty then terminated, or terminated alone), and open a new
  conference for the next caller of that room.

  Scenario: a room whose conference was terminated opens a new conference
    When "alice" calls the app
    And "alice" presses "9753#"
    Then "alice" is in a conference
    When the conference of "alice" is terminated through REST
    Then "alice"'s call ends
    When "bob" calls the app
    And "bob" presses "9753#"
    Then "bob" is in a conference
    And the conference of "bob" is "inProgress"
    And the conference of "alice" is "terminated"

  Scenario: a caller closes the room with *9
    When "carol" calls the app
    And "carol" presses "8642#"
    Then "carol" is in a conference
    When "carol" presses "*9" in the conference
    Then "carol"'s call ends
    And the conference of "carol" is "terminated"
