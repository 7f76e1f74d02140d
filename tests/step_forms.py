"""Reading a questionnaire step's form as Django sees it."""


def form_data(response) -> dict[str, str]:
    """The POST data of the step as shown: each field's initial answer, or what was sent.

    `test_the_page_submits_what_the_form_holds` proves a browser sends back the same.
    """
    return {
        field.html_name: "" if field.value() is None else str(field.value())
        for field in response.context["form"]
    }
