Feature: A caller on the support line meets the agent
  A caller dials the line, hears that the line is connecting them, and waits in a conference while
  the app dials the agent into it with OutDial. When the agent answers, both are in one conference.

  Scenario: the agent answers and joins the caller's conference
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then "alice" hears "connect you to an agent"
    And the app calls "agent"
    And "agent" hears "You have a caller"
    And "agent" is in a conference
    And "alice" is in a conference
    And "alice" and "agent" are in the same conference
