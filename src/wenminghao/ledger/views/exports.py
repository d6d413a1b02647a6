"""placeholder until written"""

urlpatterns = []
