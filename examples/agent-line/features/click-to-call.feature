Feature: Click-to-call from the web form
  A visitor fills in the form with their number and the agent they want. The app calls the visitor
  through the API; once they answer, they wait in a new conference and the app dials the agent
  they chose into it. A visitor who does not answer gets nothing further.

  Scenario: the visitor answers and meets the agent from the form
    Given "alice" is at "+15550104444"
    And "bob" is at "+15550108888"
    When the app receives a form POST to "/startCall":
      | caller | +15550104444 |
      | agent  | +15550108888 |
    Then the app calls "alice"
    And "alice" hears "connect you to an agent"
    And the app calls "bob"
    And "alice" and "bob" are in the same conference
    When "bob" hangs up
    Then "alice"'s call ends
    And the conference of "alice" is "terminated"

  Scenario: a visitor who does not answer gets no agent
    Given "alice" is at "+15550104444"
    And "alice" will not answer
    And "bob" is at "+15550108888"
    When the app receives a form POST to "/startCall":
      | caller | +15550104444 |
      | agent  | +15550108888 |
    Then the app calls "alice"
    And the app does not call "bob" within 60 seconds

  Scenario: the visitor meets the agent from the form, with no step waiting for the agent's call
    The agent is on the call the app places to their number, whether or not a step waits for it.
    Given "bob" is at "+15550108888"
    And "agent" is at "+15550107777"
    When the app receives a form POST to "/startCall":
      | caller | +15550108888 |
      | agent  | +15550107777 |
    Then "agent" and "bob" are in the same conference
    When "bob" hangs up
    Then "agent"'s call ends
    And the conference of "agent" is "terminated"
