Feature: FreeClimb sends an SMS during a call
  Sms sends a text from one of the account's numbers and does not end the script: the next
  command runs. The message is readable through REST, and its notificationUrl hears its status.

  @clause:M01 @mock-only @fault:sms-not-sent @fault:sms-ends-script @fault:sms-no-status
  Scenario: an Sms is sent, listed and reported, and the script goes on
    When "max" is dialled and the app texts "+15550104444" "your code is 1234", then redirects
    Then "max"'s call continues at its redirect
    And a message to "+15550104444" with text "your code is 1234" is listed through REST
    And the message status reaches its notificationUrl
