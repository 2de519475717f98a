Feature: REST results
  The API authenticates with HTTP Basic (account ID and API key), answers errors with the
  documented status codes and a PlatformError body, and creates conferences with 200 or 202.

  @clause:R01 @no-callbacks @fault:auth-not-enforced @fault:error-body-missing
  Scenario: a wrong API key is refused with 401 and an error body
    When conferences are listed with a wrong API key
    Then the API answers 401 with an error body

  @clause:R01 @no-callbacks @fault:unknown-conference-500 @fault:error-body-missing
  Scenario: an unknown conference answers 404 with an error body
    When an unknown conference is read
    Then the API answers 404 with an error body

  @clause:C24 @fault:create-returns-no-id
  Scenario: creating a conference answers 200 or 202 with the conference
    Then REST creation answered 200 or 202 with the conference
