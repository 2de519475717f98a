Feature: A caller is not left waiting when the agent cannot be reached
  The app dials the agent into the caller's conference. If the agent does not pick up within the
  dial timeout, or the line is busy, the app ends the conference through the API, and the caller's
  call ends instead of waiting alone.

  Scenario: the agent does not answer
    Given "agent" is at "+15550107777"
    And "agent" will not answer
    When "alice" calls the app
    Then the app calls "agent"
    And "alice" is in a conference
    And "alice"'s call ends
    And the conference of "alice" is "terminated"
    And "agent" is not in a conference

  Scenario: the agent's line is busy
    Given "agent" is at "+15550107777"
    And "agent" will be busy
    When "alice" calls the app
    Then the app calls "agent"
    And "alice"'s call ends
    And "alice" is not in a conference
    And "agent" is not in a conference
